package org.conpaas.api.cloud;

import java.util.List;
import java.util.Objects;

/**
 * Nodes to launch in one call, who is told of each machine the cloud creates, and the size asked for each node
 * ({@link NodeSize#DEFAULT} unless the cloud has {@link CloudCapability#NODE_SIZES} and the user asked).
 */
public record LaunchRequest(String deploymentName, List<NodeLaunch> nodes, LaunchListener listener, NodeSize size) {

    public LaunchRequest {
        nodes = List.copyOf(nodes);
        listener = Objects.requireNonNullElse(listener, LaunchListener.NONE);
        size = Objects.requireNonNullElse(size, NodeSize.DEFAULT);
    }

    public LaunchRequest(String deploymentName, List<NodeLaunch> nodes, LaunchListener listener) {
        this(deploymentName, nodes, listener, NodeSize.DEFAULT);
    }
}
