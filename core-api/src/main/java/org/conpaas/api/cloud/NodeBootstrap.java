package org.conpaas.api.cloud;

import java.net.URI;
import java.util.Map;

/**
 * Everything a node needs to start its agent: the agent configuration (keys of the agent protocol), the node's TLS
 * key store and the trust store holding the director's CA (both PKCS#12, protected by {@code storePassword}),
 * where to get the agent runtime, the user's startup script (may be null) and, for real clouds, the rendered
 * user-data script.
 */
public record NodeBootstrap(Map<String, String> agentConfig, byte[] keyStore, byte[] trustStore,
        String storePassword, URI agentArchive, String startupScript, String userData) {

    public NodeBootstrap {
        agentConfig = Map.copyOf(agentConfig);
    }
}
