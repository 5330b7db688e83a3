package org.conpaas.core.internal.director;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.conpaas.api.AgentException;
import org.conpaas.api.State;
import org.conpaas.api.cloud.CloudDriver;
import org.conpaas.api.cloud.CloudNode;
import org.conpaas.api.model.NodeStatus;
import org.conpaas.api.service.ServiceNode;
import org.conpaas.core.internal.agent.AgentClient;
import org.conpaas.core.internal.agent.AgentStatus;
import org.conpaas.core.internal.persistence.NodeEntity;
import org.conpaas.core.internal.persistence.ServiceEntity;
import org.conpaas.core.internal.persistence.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the director does when it starts: operations a previous run left in flight end in a settled state with a
 * reason; running nodes whose agents still answer are re-attached untouched; the others are marked FAILED; machines
 * a cloud holds that no node row knows (left by a crash mid-launch) are terminated.
 */
final class Recovery {
    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);
    private static final Duration CLOUD_WAIT = Duration.ofSeconds(60);
    private static final Duration STATUS_TIMEOUT = Duration.ofSeconds(5);

    private final Store store;
    private final CloudRegistry clouds;
    private final ServiceTypeRegistry types;
    private final AgentClient agents;
    private final NodeProvisioner provisioner;
    private final FailedNodeHandler failedNodes;

    Recovery(Store store, CloudRegistry clouds, ServiceTypeRegistry types, AgentClient agents,
            NodeProvisioner provisioner, FailedNodeHandler failedNodes) {
        this.store = store;
        this.clouds = clouds;
        this.types = types;
        this.agents = agents;
        this.provisioner = provisioner;
        this.failedNodes = failedNodes;
    }

    void run() {
        try {
            awaitClouds();
            // First, so a node launched when the director stopped has its machine recorded and is released with it.
            terminateOrphans();
            settleInterruptedOperations();
            reattachNodes();
        } catch (RuntimeException e) {
            LOG.error("recovery after restart failed: {}", e.getMessage(), e);
        }
    }

    /** Clouds register asynchronously; wait (bounded) for the ones that hold our nodes. */
    private void awaitClouds() {
        Set<String> needed = store.tx(em -> store.allNodes(em).stream().map(NodeEntity::getCloud)
                .collect(Collectors.toSet()));
        long deadline = System.nanoTime() + CLOUD_WAIT.toNanos();
        while (!needed.stream().allMatch(c -> clouds.find(c).isPresent()) && System.nanoTime() < deadline) {
            sleep(200);
        }
    }

    private void settleInterruptedOperations() {
        List<ServiceEntity> interrupted = store.tx(em -> store.servicesInStates(em,
                EnumSet.of(State.PROLOGUE, State.ADAPTING, State.EPILOGUE)));
        for (ServiceEntity s : interrupted) {
            List<NodeEntity> nodes = store.tx(em -> store.nodes(em, s.getId()));
            switch (s.getState()) {
                case PROLOGUE -> {
                    release(nodes);
                    settle(s, State.ERROR, "the director restarted while the service was starting; start it again");
                }
                case EPILOGUE -> {
                    release(nodes);
                    settle(s, State.STOPPED, "stopped (finished after a director restart)");
                }
                default -> {
                    release(nodes.stream().filter(n -> n.getStatus() != NodeStatus.RUNNING).toList());
                    settle(s, State.RUNNING, "the director restarted while nodes were changing; the change was "
                            + "abandoned and the service keeps its running nodes");
                }
            }
        }
    }

    private void reattachNodes() {
        List<NodeEntity> running = store.tx(em -> store.allNodes(em).stream()
                .filter(n -> n.getStatus() == NodeStatus.RUNNING).toList());
        List<Thread> checks = new ArrayList<>();
        for (NodeEntity node : running) {
            Thread check = new Thread(() -> reattach(node), "conpaas-reattach-" + node.getNodeId());
            check.setDaemon(true);
            check.start();
            checks.add(check);
        }
        for (Thread check : checks) {
            try {
                check.join(STATUS_TIMEOUT.multipliedBy(4).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void reattach(NodeEntity node) {
        ServiceNode target = Store.serviceNode(node);
        try {
            AgentStatus status = agents.status(target, STATUS_TIMEOUT);
            if (!node.getNodeId().equals(status.nodeId())) {
                throw new AgentException(node.getNodeId(), "another agent (" + status.nodeId() + ") answers at "
                        + node.getAddress());
            }
            String type = store.tx(em -> em.find(ServiceEntity.class, node.getServiceId()).getType());
            if (!status.plugins().containsKey(type)) {
                types.find(type).ifPresent(t -> provisioner.installPlugin(target, t));
            }
            LOG.info("re-attached {} at {}", node.getNodeId(), node.getAddress());
        } catch (RuntimeException e) {
            String why = "its agent did not answer after the director restarted: " + e.getMessage();
            LOG.warn("node {} failed: {}", node.getNodeId(), why);
            failedNodes.failedAtStart(node, why);
        }
    }

    /**
     * Terminates the machines no node knows. A machine whose node is recorded without its machine id (the director
     * stopped between the cloud creating it and the launch returning) is adopted instead: its id is recorded, so it
     * is released or kept with its node like any other.
     */
    private void terminateOrphans() {
        Map<String, Set<String>> known = store.tx(em -> store.allNodes(em).stream()
                .filter(n -> n.getVmId() != null)
                .collect(Collectors.groupingBy(NodeEntity::getCloud,
                        Collectors.mapping(NodeEntity::getVmId, Collectors.toSet()))));
        Map<String, Map<String, Long>> awaitingMachine = store.tx(em -> store.allNodes(em).stream()
                .filter(n -> n.getVmId() == null)
                .collect(Collectors.groupingBy(NodeEntity::getCloud,
                        Collectors.toMap(NodeEntity::getNodeId, NodeEntity::getId))));
        for (var info : clouds.all()) {
            if (!info.available()) {
                // its machines cannot be listed now; they are looked for at the next start it is available at
                LOG.warn("not looking for machines left behind on cloud {}: {}", info.name(), info.reason());
                continue;
            }
            clouds.find(info.name()).ifPresent(cloud -> {
                Set<String> ours = known.getOrDefault(cloud.name(), new HashSet<>());
                Map<String, Long> waiting = awaitingMachine.getOrDefault(cloud.name(), Map.of());
                List<String> orphans = new java.util.ArrayList<>();
                for (CloudNode machine : cloud.list()) {
                    if (ours.contains(machine.vmId())) {
                        continue;
                    }
                    Long rowId = machine.nodeId() == null ? null : waiting.get(machine.nodeId());
                    if (rowId != null && adopt(rowId, machine)) {
                        continue;
                    }
                    orphans.add(machine.vmId());
                }
                if (!orphans.isEmpty()) {
                    LOG.warn("terminating {} machine(s) of cloud {} that no node knows: {}", orphans.size(),
                            cloud.name(), orphans);
                    terminateQuietly(cloud, orphans);
                }
            });
        }
    }

    private boolean adopt(long rowId, CloudNode machine) {
        return store.tx(em -> {
            NodeEntity node = em.find(NodeEntity.class, rowId);
            if (node == null || node.getVmId() != null) {
                return false;
            }
            node.setVmId(machine.vmId());
            node.setAddress(machine.address());
            node.setPort(machine.agentPort());
            LOG.info("node {} adopts machine {} of cloud {}, which it was launched as", node.getNodeId(),
                    machine.vmId(), node.getCloud());
            return true;
        });
    }

    private void release(List<NodeEntity> nodes) {
        try {
            provisioner.release(nodes);
        } catch (RuntimeException e) {
            LOG.error("cannot release {} node(s): {}", nodes.size(), e.getMessage());
        }
    }

    private void settle(ServiceEntity s, State state, String reason) {
        store.tx(em -> {
            ServiceEntity row = em.find(ServiceEntity.class, s.getId());
            if (row != null) {
                store.changeState(em, row, state, reason);
            }
            return null;
        });
    }

    private static void terminateQuietly(CloudDriver cloud, List<String> vmIds) {
        try {
            cloud.terminate(vmIds);
        } catch (RuntimeException e) {
            LOG.error("cannot terminate {} in cloud {}: {}", vmIds, cloud.name(), e.getMessage());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
