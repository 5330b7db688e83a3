package org.conpaas.api.service;

/** A node as a manager sees it: its id, role and where its agent listens. */
public record ServiceNode(String id, String role, String address, int port, String cloud, String vmId) {
}
