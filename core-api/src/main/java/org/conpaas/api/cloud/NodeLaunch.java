package org.conpaas.api.cloud;

/** One node to launch: the director's node id, a machine name, the role and how it bootstraps. */
public record NodeLaunch(String nodeId, String name, String role, NodeBootstrap bootstrap) {
}
