package org.conpaas.api.cloud;

/** A machine a cloud runs for a node. {@code address} may be null until the cloud has assigned one. */
public record CloudNode(String vmId, String nodeId, String address, CloudNodeState state, String detail) {
}
