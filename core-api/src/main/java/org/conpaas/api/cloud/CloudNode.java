package org.conpaas.api.cloud;

/**
 * A machine a cloud runs for a node. {@code address} may be null until the cloud has assigned one;
 * {@code agentPort} is the port the node's agent listens on, decided by the driver (see {@link NodeLaunch}).
 * A launch the cloud refused is {@link CloudNodeState#FAILED} with the cloud's reason in {@code detail} (and a
 * {@code vmId} when the cloud had created a machine, else null).
 */
public record CloudNode(String vmId, String nodeId, String address, int agentPort, CloudNodeState state,
        String detail) {

    /** A node the cloud could not launch, with the cloud's reason. */
    public static CloudNode failed(String vmId, String nodeId, String reason) {
        return new CloudNode(vmId, nodeId, null, 0, CloudNodeState.FAILED, reason);
    }
}
