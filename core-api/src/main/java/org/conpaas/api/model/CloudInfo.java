package org.conpaas.api.model;

import java.util.Set;

/**
 * A configured cloud; {@code available} false with the {@code reason} (one sentence) when the cloud refused its
 * configuration (e.g. its credentials): nothing is launched on it then.
 */
public record CloudInfo(String name, String type, Set<String> capabilities, boolean available, String reason) {

    /** An available cloud. */
    public CloudInfo(String name, String type, Set<String> capabilities) {
        this(name, type, capabilities, true, null);
    }
}
