package org.conpaas.api.cloud;

import java.util.List;
import java.util.Objects;

/** Nodes to launch in one call, and who is told of each machine the cloud creates. */
public record LaunchRequest(String deploymentName, List<NodeLaunch> nodes, LaunchListener listener) {

    public LaunchRequest {
        nodes = List.copyOf(nodes);
        listener = Objects.requireNonNullElse(listener, LaunchListener.NONE);
    }
}
