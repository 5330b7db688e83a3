package org.conpaas.api.model;

import java.time.Instant;

/**
 * One node (VM, container or local process) with its agent; {@code codeVersion} is the code version the node serves
 * (null before it got any); {@code machine} is what its cloud said about the machine when it launched it (an LXC
 * container's memory and CPU limits, a local process's id and account; null when the cloud said nothing).
 */
public record NodeInfo(String id, long applicationId, int serviceId, String role, String cloud, String vmId,
        String address, int port, NodeStatus status, String statusReason, Instant created, String codeVersion,
        String machine) {

    /** Without what the cloud said about the machine. */
    public NodeInfo(String id, long applicationId, int serviceId, String role, String cloud, String vmId,
            String address, int port, NodeStatus status, String statusReason, Instant created, String codeVersion) {
        this(id, applicationId, serviceId, role, cloud, vmId, address, port, status, statusReason, created,
                codeVersion, null);
    }
}
