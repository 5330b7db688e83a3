package org.conpaas.api.service;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.conpaas.api.UnsupportedCapabilityException;
import org.conpaas.api.model.UploadedFile;

/**
 * The manager of one service, living inside the director. The director calls these hooks around every life-cycle
 * step; the plug-in agents and the service's active code version have been installed on the nodes before
 * {@link #onStart} and {@link #onAddNodes}.
 * A hook that throws sends the service to ERROR with the exception's message as the reason.
 */
public interface ServiceManager {

    /** The starting nodes are up; configure them. */
    void onStart(List<ServiceNode> nodes) throws Exception;

    /** The service is stopping; its nodes are released afterwards whatever this does. */
    default void onStop() throws Exception {
    }

    /**
     * The size in MB of the volume each new node of {@code role} gets of its own (0, the default: none), e.g. for a
     * database's or a file system server's data. The director creates it in the node's cloud and the node mounts it
     * (at {@code NodeEnvironment#nodeVolume()}) before {@link #onStart} or {@link #onAddNodes} see the node; it is
     * listed with the service's volumes and destroyed with the node. On a cloud without volumes the node has none,
     * and the service's log says so. Read when nodes are added, so a changed size applies to later nodes.
     */
    default int nodeVolumeMb(String role) {
        return 0;
    }

    /** Type-specific checks before nodes are added; throw {@link org.conpaas.api.InvalidInputException} to refuse. */
    default void checkAddNodes(Map<String, Integer> roles) {
    }

    /**
     * New nodes are up; configure them (and tell the others). On failure the manager undoes what it changed on the
     * nodes it had before, then throws: the core releases the new nodes and the service keeps running as before.
     */
    void onAddNodes(List<ServiceNode> nodes) throws Exception;

    /** Type-specific checks before nodes are removed; throw {@link org.conpaas.api.InvalidInputException} to refuse. */
    default void checkRemoveNodes(Map<String, Integer> roles) {
    }

    /** Chooses the nodes to remove; by default the newest ones of each role. */
    default List<ServiceNode> selectNodesToRemove(Map<String, Integer> roles, List<ServiceNode> current) {
        List<ServiceNode> chosen = new ArrayList<>();
        roles.forEach((role, count) -> current.stream()
                .filter(n -> n.role().equals(role))
                .sorted(Comparator.comparing(ServiceNode::id, ServiceManager::compareNodeIds).reversed())
                .limit(count)
                .forEach(chosen::add));
        return chosen;
    }

    /**
     * The chosen nodes are about to be released; reconfigure the remaining ones. On failure the manager restores
     * what it changed, then throws: the core releases nothing and the service keeps running with all its nodes.
     */
    default void onRemoveNodes(List<ServiceNode> removed) throws Exception {
    }

    /**
     * Nodes stopped answering and are now FAILED: they are already gone from {@link ServiceContext#nodes()} (and
     * listed in {@link ServiceContext#failedNodes()}); their machines are being terminated, so never call them.
     * Reconfigure the remaining nodes so that nothing routes to the failed ones. The director calls this once per
     * failure, with the service ADAPTING, before it adds replacements (through {@link #onAddNodes}) when the service
     * replaces failed nodes. A failure here is logged; the failed nodes stay FAILED whatever this does.
     */
    default void onNodesFailed(List<ServiceNode> failed) throws Exception {
    }

    /**
     * Whether a volume may be created on {@code node} now; by default types have no volumes. Throw a
     * {@link org.conpaas.api.ConflictException} to refuse for now (nothing is changed).
     */
    default void checkCreateVolume(String name, int sizeMb, ServiceNode node) {
        throw new UnsupportedCapabilityException("this service type does not support volumes");
    }

    /** Whether a volume may be deleted now; throw a {@link org.conpaas.api.ConflictException} to refuse. */
    default void checkDeleteVolume(String name) {
    }

    /**
     * Type-specific checks before a code version becomes active on running nodes; throw a
     * {@link org.conpaas.api.ConflictException} (or {@link org.conpaas.api.InvalidInputException}) to refuse.
     */
    default void checkActivateCode(String version) {
    }

    /**
     * A code version became the active one: the core has already stored it on every node and switched them (each
     * node's agent plug-in reacted through {@link org.conpaas.api.agent.AgentPlugin#onCodeActivated}); this is for
     * what a type does in the director. On failure the core switches the nodes back to the version they served, makes
     * it the active one again, and the service keeps running.
     */
    default void onCodeActivated(String version) throws Exception {
    }

    /** Runs a service-specific operation; the parameters were already checked against its descriptor. */
    Object invoke(String operation, Map<String, Object> params, Map<String, UploadedFile> files) throws Exception;

    /** Orders node ids numerically where they end in a number ("node-9" before "node-10"). */
    static int compareNodeIds(String a, String b) {
        String da = a.replaceAll("\\D", "");
        String db = b.replaceAll("\\D", "");
        if (!da.isEmpty() && !db.isEmpty() && da.length() < 19 && db.length() < 19) {
            int byNumber = Long.compare(Long.parseLong(da), Long.parseLong(db));
            if (byNumber != 0) {
                return byNumber;
            }
        }
        return a.compareTo(b);
    }
}
