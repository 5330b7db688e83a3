package org.conpaas.api.model;

import java.time.Instant;

/**
 * One node (VM, container or local process) with its agent; {@code codeVersion} is the code version the node serves
 * (null before it got any).
 */
public record NodeInfo(String id, long applicationId, int serviceId, String role, String cloud, String vmId,
        String address, int port, NodeStatus status, String statusReason, Instant created, String codeVersion) {
}
