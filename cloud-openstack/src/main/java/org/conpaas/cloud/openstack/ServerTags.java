package org.conpaas.cloud.openstack;

import java.util.List;
import java.util.Map;
import org.conpaas.api.cloud.CloudNode;
import org.conpaas.api.cloud.CloudNodeState;
import org.openstack4j.model.compute.Address;
import org.openstack4j.model.compute.Server;

/**
 * The metadata by which a server is this director's ({@value #OWNER}), its deployment and node, and how a server
 * is described to the director.
 */
final class ServerTags {

    static final String OWNER = "conpaas:owner";
    static final String DEPLOYMENT = "conpaas:deployment";
    static final String NODE = "conpaas:node";
    /** Nova's bound on a metadata value. */
    private static final int MAX_VALUE = 255;

    private ServerTags() {
    }

    static Map<String, String> of(String owner, String deployment, String nodeId) {
        return Map.of(OWNER, bound(owner), DEPLOYMENT, bound(deployment == null ? "" : deployment),
                NODE, bound(nodeId));
    }

    static boolean isOwnedBy(Server server, String owner) {
        Map<String, String> metadata = server.getMetadata();
        return metadata != null && owner.equals(metadata.get(OWNER));
    }

    /**
     * The server as the director sees it: BUILD is PENDING, ACTIVE RUNNING, ERROR FAILED (with Nova's fault), a
     * deleted or stopped server TERMINATED. The address is the floating one when the cloud is set to use them (the
     * director dials it from outside), else the first fixed IPv4 one.
     */
    static CloudNode describe(Server server, boolean preferFloating, int agentPort) {
        Map<String, String> metadata = server.getMetadata() == null ? Map.of() : server.getMetadata();
        String nodeId = metadata.get(NODE);
        Server.Status status = server.getStatus() == null ? Server.Status.UNKNOWN : server.getStatus();
        String address = address(server, preferFloating);
        return switch (status) {
            case BUILD, REBUILD, REBOOT, HARD_REBOOT, PASSWORD, RESIZE, VERIFY_RESIZE, REVERT_RESIZE, MIGRATING ->
                    new CloudNode(server.getId(), nodeId, address, agentPort, CloudNodeState.PENDING,
                            "OpenStack status " + status);
            case ACTIVE -> new CloudNode(server.getId(), nodeId, address, agentPort, CloudNodeState.RUNNING,
                    "OpenStack status ACTIVE");
            case ERROR -> new CloudNode(server.getId(), nodeId, address, agentPort, CloudNodeState.FAILED,
                    server.getFault() != null && server.getFault().getMessage() != null
                            ? "OpenStack could not start the server: " + server.getFault().getMessage()
                            : "OpenStack reports the server in ERROR");
            case DELETED, SHUTOFF, STOPPED, SHELVED, SHELVED_OFFLOADED, SUSPENDED, PAUSED ->
                    new CloudNode(server.getId(), nodeId, address, agentPort, CloudNodeState.TERMINATED,
                            "OpenStack status " + status);
            default -> new CloudNode(server.getId(), nodeId, address, agentPort, CloudNodeState.UNKNOWN,
                    "OpenStack status " + status);
        };
    }

    private static String address(Server server, boolean preferFloating) {
        if (server.getAddresses() == null || server.getAddresses().getAddresses() == null) {
            return null;
        }
        List<? extends Address> all = server.getAddresses().getAddresses().values().stream()
                .flatMap(List::stream).filter(a -> a.getVersion() != 6).toList();
        if (preferFloating) {
            for (Address a : all) {
                if ("floating".equals(a.getType())) {
                    return a.getAddr();
                }
            }
        }
        for (Address a : all) {
            if (!"floating".equals(a.getType())) {
                return a.getAddr();
            }
        }
        return all.isEmpty() ? null : all.get(0).getAddr();
    }

    private static String bound(String value) {
        return value.length() > MAX_VALUE ? value.substring(0, MAX_VALUE) : value;
    }
}
