package org.conpaas.api.cloud;

import java.util.List;

/** Nodes to launch in one call. */
public record LaunchRequest(String deploymentName, List<NodeLaunch> nodes) {

    public LaunchRequest {
        nodes = List.copyOf(nodes);
    }
}
