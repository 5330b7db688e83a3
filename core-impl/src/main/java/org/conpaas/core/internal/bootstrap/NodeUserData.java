package org.conpaas.core.internal.bootstrap;

import java.util.Map;
import org.conpaas.core.internal.security.NodeCredentials;

/** What node provisioning asks of the bootstrap: a node's user data, and the end of its token. */
public interface NodeUserData {

    /**
     * Renders the node's user data with a new one-time token.
     *
     * @param agentConfig the agent configuration keys that do not depend on where the node runs
     */
    String render(String nodeId, Map<String, String> agentConfig, NodeCredentials credentials, String startupScript);

    /** Ends the node's token: it runs, or was released. */
    void revoke(String nodeId);
}
