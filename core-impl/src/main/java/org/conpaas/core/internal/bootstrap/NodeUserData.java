package org.conpaas.core.internal.bootstrap;

import java.util.Map;
import java.util.Optional;
import org.conpaas.api.cloud.HostShare;
import org.conpaas.core.internal.security.NodeCredentials;

/** What node provisioning asks of the bootstrap: a node's user data, and the end of its token. */
public interface NodeUserData {

    /**
     * Renders the node's user data with a new one-time token.
     *
     * @param agentConfig the agent configuration keys that do not depend on where the node runs
     * @param hostShare   the folder the node's cloud shares among the nodes of one machine, if it has one: the agent
     *                    is installed there once, and the node starts that installation instead of downloading
     */
    String render(String nodeId, Map<String, String> agentConfig, NodeCredentials credentials, String startupScript,
            Optional<HostShare> hostShare);

    /** Ends the node's token: it runs, or was released. */
    void revoke(String nodeId);
}
