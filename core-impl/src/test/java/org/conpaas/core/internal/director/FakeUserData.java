package org.conpaas.core.internal.director;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.conpaas.api.cloud.HostShare;
import org.conpaas.core.internal.bootstrap.NodeUserData;
import org.conpaas.core.internal.security.NodeCredentials;

/** User data that names its node; remembers which nodes' tokens were revoked. */
final class FakeUserData implements NodeUserData {
    final List<String> revoked = new CopyOnWriteArrayList<>();

    @Override
    public String render(String nodeId, Map<String, String> agentConfig, NodeCredentials credentials,
            String startupScript, Optional<HostShare> hostShare) {
        return "#!/bin/sh\n# node " + nodeId + "\n" + (startupScript == null ? "" : startupScript);
    }

    @Override
    public void revoke(String nodeId) {
        revoked.add(nodeId);
    }
}
