package org.conpaas.core.internal.director;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.conpaas.api.ConflictException;
import org.conpaas.api.State;
import org.conpaas.api.cloud.CloudDriver;
import org.conpaas.api.model.NodeStatus;
import org.conpaas.api.service.ServiceNode;
import org.conpaas.core.internal.credit.Credits;
import org.conpaas.core.internal.persistence.ApplicationEntity;
import org.conpaas.core.internal.persistence.NodeEntity;
import org.conpaas.core.internal.persistence.ServiceEntity;
import org.conpaas.core.internal.persistence.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to a node whose agent stopped answering: it becomes FAILED with the reason, its machine is
 * terminated (it is dead anyway, and only RUNNING nodes are charged, so its credit stops), the service's history
 * records it, the manager reconfigures the remaining nodes, and, when the service replaces failed nodes, a new node
 * of the same role is added through the normal add-nodes path (credit check, first period charged, all or nothing).
 * The service is ADAPTING meanwhile and RUNNING afterwards, also when the replacement fails (with the reason).
 * <p>
 * A failure is declared by claiming the service (see {@link OperationEngine}), and only while the service is RUNNING and the node still
 * RUNNING, so it is never declared twice, nor while the service starts, changes or stops.
 */
final class FailedNodeHandler {
    private static final Logger LOG = LoggerFactory.getLogger(FailedNodeHandler.class);

    /** Adds nodes to a service that the handler has claimed (ADAPTING); says how that ended. */
    @FunctionalInterface
    interface NodeAdder {
        OperationEngine.Outcome addNodes(ServiceKey key, Map<String, Integer> roles, CloudDriver cloud,
                String purpose, BooleanSupplier cancelled);
    }

    private final Store store;
    private final CloudRegistry clouds;
    private final ServiceTypeRegistry types;
    private final Credits credits;
    private final OperationEngine engine;
    private final Function<ServiceKey, ManagedService> managers;
    private final NodeAdder adder;

    FailedNodeHandler(Store store, CloudRegistry clouds, ServiceTypeRegistry types, Credits credits,
            OperationEngine engine, Function<ServiceKey, ManagedService> managers, NodeAdder adder) {
        this.store = store;
        this.clouds = clouds;
        this.types = types;
        this.credits = credits;
        this.engine = engine;
        this.managers = managers;
        this.adder = adder;
    }

    /** A declared failure: the service, its failed nodes (read in the declaring transaction) and what to do. */
    private record Failure(ServiceKey key, List<NodeEntity> nodes, String cloud, boolean replace, String reason) {
    }

    /**
     * Declares nodes of one service FAILED ({@code reasons}: node database id → why) and handles them in the
     * background. Returns the node ids declared now: none when the service is not RUNNING or the nodes are no longer
     * RUNNING (already declared, removed, or the service is busy; the monitor asks again later).
     */
    List<String> nodesFailed(long serviceDbId, Map<Long, String> reasons) {
        ServiceKey key = store.tx(em -> {
            ServiceEntity s = em.find(ServiceEntity.class, serviceDbId);
            return s == null ? null : ServiceKey.of(em.find(ApplicationEntity.class, s.getApplicationId()), s);
        });
        if (key == null) {
            return List.of();
        }
        List<NodeEntity> failed = new ArrayList<>();
        boolean[] replace = new boolean[1];
        String[] cloud = new String[1];
        OperationEngine.Claim claim;
        try {
            claim = engine.claim(key, "handle failed nodes", EnumSet.of(State.RUNNING), State.ADAPTING,
                    (em, s) -> {
                        new TreeMap<>(reasons).forEach((id, why) -> {
                            NodeEntity n = em.find(NodeEntity.class, id);
                            if (n != null && n.getServiceId() == serviceDbId && n.getStatus() == NodeStatus.RUNNING) {
                                n.setStatus(NodeStatus.FAILED, why);
                                failed.add(n);
                            }
                        });
                        if (failed.isEmpty()) {
                            throw new NothingFailed();
                        }
                        replace[0] = s.isReplaceFailedNodes() && types.isInstalled(s.getType());
                        cloud[0] = s.getCloud();
                        return reason(failed) + (replace[0] ? "; replacing it" : "");
                    });
        } catch (NothingFailed | ConflictException notNow) {
            // Already declared, removed, or the service is busy: the monitor asks again later.
            return List.of();
        }
        String reason = reason(failed);
        Failure failure = new Failure(key, List.copyOf(failed), cloud[0], replace[0], reason);
        LOG.warn("service {}/{}: {}", key.applicationId(), key.number(), reason);
        engine.run(claim, cancelled -> handle(failure, cancelled));
        return failure.nodes().stream().map(NodeEntity::getNodeId).toList();
    }

    private static String reason(List<NodeEntity> failed) {
        return failed.stream().map(n -> n.getNodeId() + " failed: " + n.getStatusReason())
                .collect(Collectors.joining("; "));
    }

    /** Aborts a claim whose nodes were no longer RUNNING (nothing to declare). */
    private static final class NothingFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NothingFailed() {
            super("no node failed", null, false, false);
        }
    }

    /**
     * A node whose agent did not answer when the director started (see {@link Recovery}): FAILED with the reason, its
     * machine terminated, and a line in the history of its service when that is RUNNING. Not replaced: the director
     * was down for an unknown time, so the user decides.
     */
    void failedAtStart(NodeEntity node, String why) {
        store.tx(em -> {
            NodeEntity row = em.find(NodeEntity.class, node.getId());
            if (row == null) {
                return null;
            }
            row.setStatus(NodeStatus.FAILED, why);
            ServiceEntity s = em.find(ServiceEntity.class, row.getServiceId());
            if (s != null && s.getState() == State.RUNNING) {
                store.changeState(em, s, State.RUNNING, row.getNodeId() + " failed: " + why);
            }
            return null;
        });
        terminate(List.of(node));
    }

    private OperationEngine.Outcome handle(Failure failure, BooleanSupplier cancelled) {
        ServiceKey key = failure.key();
        terminate(failure.nodes());
        List<ServiceNode> failed = failure.nodes().stream().map(Store::serviceNode).toList();
        ManagedService service = null;
        try {
            service = managers.apply(key);
            service.log().warn(failure.reason());
            service.manager().onNodesFailed(failed);
        } catch (Exception e) {
            // The nodes are gone whatever the manager managed to do; the replacement (or the user) goes on from here.
            LOG.warn("service {}/{}: the manager could not reconfigure after the failure: {}", key.applicationId(),
                    key.number(), e.getMessage(), e);
            if (service != null) {
                service.log().error("reconfiguring after the failure of " + ids(failed) + " failed", e);
            }
        }
        if (!failure.replace()) {
            return OperationEngine.Outcome.running(failure.reason() + "; not replaced ("
                    + (types.isInstalled(key.type()) ? "replaceFailedNodes is off" : "its type is not installed")
                    + ")");
        }
        String replacing = "replacing failed " + String.join(", ", ids(failed)) + ": ";
        try {
            CloudDriver cloud = clouds.require(failure.cloud());
            credits.requireCredit(key.owner(), "replace a failed node");
            Map<String, Integer> roles = new TreeMap<>();
            failed.forEach(n -> roles.merge(n.role(), 1, Integer::sum));
            return adder.addNodes(key, roles, cloud, replacing, cancelled);
        } catch (RuntimeException e) {
            LOG.warn("service {}/{}: {}{}", key.applicationId(), key.number(), replacing, e.getMessage());
            return OperationEngine.Outcome.running(replacing + "not possible: " + e.getMessage()
                    + "; the service keeps its other nodes");
        }
    }

    /** Terminates the failed nodes' machines; the rows stay (FAILED, with the machine id) until the service stops. */
    private void terminate(List<NodeEntity> nodes) {
        nodes.stream().filter(n -> n.getVmId() != null).collect(Collectors.groupingBy(NodeEntity::getCloud))
                .forEach((name, inCloud) -> {
                    List<String> vmIds = inCloud.stream().map(NodeEntity::getVmId).toList();
                    try {
                        clouds.find(name).ifPresentOrElse(c -> c.terminate(vmIds), () -> LOG.error(
                                "cloud {} is not available; failed machines {} stay until the service stops", name,
                                vmIds));
                    } catch (RuntimeException e) {
                        // Not leaked: the rows keep the machine ids, and stopping the service terminates them again.
                        LOG.error("cannot terminate failed machines {} in cloud {}: {}", vmIds, name, e.getMessage());
                    }
                });
    }

    private static List<String> ids(List<ServiceNode> nodes) {
        return nodes.stream().map(ServiceNode::id).toList();
    }
}
