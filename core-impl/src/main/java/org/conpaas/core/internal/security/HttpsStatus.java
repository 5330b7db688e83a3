package org.conpaas.core.internal.security;

import java.util.Optional;

/**
 * Whether the director serves HTTPS, as far as its own settings go: nodes download the agent from it over HTTPS, so a
 * launch that needs that download can fail at once with the reason instead of waiting for the node's timeout.
 */
public interface HttpsStatus {

    /**
     * Why HTTPS is off (turned off in its configuration, or its port held by another program); empty while it is on
     * or not decided yet.
     */
    Optional<String> offReason();
}
