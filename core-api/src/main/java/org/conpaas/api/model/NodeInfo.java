package org.conpaas.api.model;

import java.time.Instant;

/** One node (VM, container or local process) with its agent. */
public record NodeInfo(String id, long applicationId, int serviceId, String role, String cloud, String vmId,
        String address, int port, NodeStatus status, String statusReason, Instant created) {
}
