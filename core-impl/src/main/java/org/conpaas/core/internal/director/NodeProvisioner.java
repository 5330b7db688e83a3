package org.conpaas.core.internal.director;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.conpaas.api.AgentException;
import org.conpaas.api.CloudException;
import org.conpaas.api.ConpaasException;
import org.conpaas.api.cloud.CloudDriver;
import org.conpaas.api.cloud.CloudNode;
import org.conpaas.api.cloud.CloudNodeState;
import org.conpaas.api.cloud.HostShare;
import org.conpaas.api.cloud.LaunchRequest;
import org.conpaas.api.cloud.LaunchListener;
import org.conpaas.api.cloud.NodeLaunch;
import org.conpaas.api.cloud.NodeSize;
import org.conpaas.api.model.NodeStatus;
import org.conpaas.api.service.ServiceLog;
import org.conpaas.api.service.ServiceManager;
import org.conpaas.api.service.ServiceNode;
import org.conpaas.core.internal.agent.AgentClient;
import org.conpaas.core.internal.agent.AgentUnreachableException;
import org.conpaas.core.internal.bootstrap.NodeUserData;
import org.conpaas.core.internal.code.NodeCode;
import org.conpaas.core.internal.persistence.NodeEntity;
import org.conpaas.core.internal.persistence.ServiceEntity;
import org.conpaas.core.internal.persistence.Store;
import org.conpaas.core.internal.security.NodeCredentials;
import org.conpaas.core.internal.security.Pki;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Obtains nodes from a cloud and makes them ready for a service: node rows, certificates, launch, agent answering,
 * service plug-in and the service's active code version installed. A batch is all or nothing, here and only here
 * (drivers never roll back): if the cloud reports one node FAILED or leaves it out, or one node does not start, the
 * whole batch is released with the reason, so a failed change leaves the service as it was. Each machine id is recorded as soon as the cloud has given it
 * ({@link LaunchListener}), so a director restarting meanwhile adopts the machine instead of terminating it.
 */
final class NodeProvisioner {
    private static final Logger LOG = LoggerFactory.getLogger(NodeProvisioner.class);
    /**
     * Pause between two status calls to a starting agent. Short, because the plug-in is pushed at the first answer
     * and every pause is time the node is not RUNNING; cheap, because before the agent listens a call is a refused
     * loopback/LAN connection, and once it has bound its port the call itself waits for the TLS handshake.
     */
    static final Duration POLL = Duration.ofMillis(50);
    /** Pause between two questions to the cloud for a node's address (a cloud API call, so not too often). */
    static final Duration ADDRESS_POLL = Duration.ofMillis(250);
    /** How often a node whose agent does not answer yet is looked up in the cloud (a machine that ended fails fast). */
    static final Duration CLOUD_CHECK_EVERY = Duration.ofSeconds(1);
    private static final Duration STATUS_TIMEOUT = Duration.ofSeconds(2);

    private final Store store;
    private final CloudRegistry clouds;
    private final Pki pki;
    private final AgentClient agents;
    private final ExecutorService executor;
    private final Settings settings;
    private final VolumeKeeper volumes;
    private final NodeVolumes nodeVolumes;
    private final NodeCode nodeCode;

    /** What the provisioner needs from the director's configuration. */
    record Settings(String deploymentName, NodeUserData userData, Duration nodeStartTimeout) {
    }

    NodeProvisioner(Store store, CloudRegistry clouds, Pki pki, AgentClient agents, ExecutorService executor,
            Settings settings, VolumeKeeper volumes, NodeCode nodeCode) {
        this.store = store;
        this.clouds = clouds;
        this.pki = pki;
        this.agents = agents;
        this.executor = executor;
        this.settings = settings;
        this.volumes = volumes;
        this.nodeCode = nodeCode;
        this.nodeVolumes = new NodeVolumes(volumes, clouds);
    }

    /** Launches nodes of the given roles and returns them running with the type's plug-in installed. */
    List<ServiceNode> provision(ServiceKey service, List<String> roles, CloudDriver cloud, RegisteredType type) {
        return provision(service, roles, cloud, type, () -> false);
    }

    /**
     * Like {@link #provision(ServiceKey, List, CloudDriver, RegisteredType)}, but gives up as soon as
     * {@code cancelled} says so (a stop of the service), releasing what was launched, as after a failure.
     */
    List<ServiceNode> provision(ServiceKey service, List<String> roles, CloudDriver cloud, RegisteredType type,
            BooleanSupplier cancelled) {
        return provision(service, roles, cloud, type, NodeSize.DEFAULT, cancelled);
    }

    /** With the size the add-nodes request asked for each node (the cloud has NODE_SIZES). */
    List<ServiceNode> provision(ServiceKey service, List<String> roles, CloudDriver cloud, RegisteredType type,
            NodeSize size, BooleanSupplier cancelled) {
        String startupScript = store.tx(em -> em.find(ServiceEntity.class, service.serviceDbId()).getStartupScript());
        List<NodeEntity> rows = store.tx(em -> {
            List<NodeEntity> created = new ArrayList<>();
            for (String role : roles) {
                // The port is the cloud's to tell (CloudNode.agentPort), once the node is launched.
                NodeEntity node = new NodeEntity(service.applicationId(), service.serviceDbId(), role, cloud.name(),
                        0, store.now());
                em.persist(node);
                created.add(node);
            }
            em.flush();
            return created;
        });
        Map<String, CloudNode> launched = new HashMap<>();
        // Machines the cloud has created, by node id, recorded before the launch call returns.
        Map<String, String> recorded = new java.util.concurrent.ConcurrentHashMap<>();
        try {
            checkNotCancelled(cancelled);
            launch(service, rows, cloud, startupScript, size, recorded).forEach(n -> launched.put(n.nodeId(), n));
            store.tx(em -> {
                for (NodeEntity row : rows) {
                    NodeEntity node = em.find(NodeEntity.class, row.getId());
                    CloudNode vm = launched.get(node.getNodeId());
                    if (vm == null) {
                        throw new CloudException("cloud " + cloud.name() + " did not launch " + node.getNodeId());
                    }
                    if (vm.state() == CloudNodeState.FAILED) {
                        throw new CloudException("cloud " + cloud.name() + " could not launch " + node.getNodeId()
                                + ": " + vm.detail());
                    }
                    node.setVmId(vm.vmId());
                    node.setMachine(vm.detail());
                    node.setAddress(vm.address());
                    node.setPort(vm.agentPort());
                    row.setPort(vm.agentPort());
                }
                return null;
            });
            checkNotCancelled(cancelled);
            List<ServiceNode> ready = awaitAll(rows, launched, cloud, type, cancelled);
            checkNotCancelled(cancelled);
            store.tx(em -> {
                rows.forEach(r -> em.find(NodeEntity.class, r.getId()).setStatus(NodeStatus.RUNNING, null));
                return null;
            });
            rows.forEach(r -> settings.userData().revoke(r.getNodeId()));
            return ready;
        } catch (RuntimeException e) {
            LOG.warn("releasing {} node(s) of service {}/{} after a failed launch: {}", rows.size(),
                    service.applicationId(), service.number(), e.getMessage());
            rows.forEach(r -> settings.userData().revoke(r.getNodeId()));
            java.util.Set<String> vmIds = new java.util.LinkedHashSet<>(recorded.values());
            launched.values().stream().map(CloudNode::vmId).filter(v -> v != null).forEach(vmIds::add);
            terminateQuietly(cloud, List.copyOf(vmIds));
            store.tx(em -> {
                rows.forEach(r -> {
                    NodeEntity node = em.find(NodeEntity.class, r.getId());
                    if (node != null) {
                        em.remove(node);
                    }
                });
                return null;
            });
            throw e;
        }
    }

    /** Terminates nodes in their clouds, destroys the volumes attached to them and forgets them. */
    void release(Collection<NodeEntity> nodes) {
        nodes.forEach(n -> settings.userData().revoke(n.getNodeId()));
        Map<String, List<NodeEntity>> byCloud = nodes.stream().collect(Collectors.groupingBy(NodeEntity::getCloud));
        for (Map.Entry<String, List<NodeEntity>> e : byCloud.entrySet()) {
            List<String> vmIds = e.getValue().stream().map(NodeEntity::getVmId).filter(v -> v != null).toList();
            if (!vmIds.isEmpty()) {
                CloudDriver cloud = clouds.find(e.getKey()).orElseThrow(() -> new CloudException(
                        "cloud " + e.getKey() + " is not available, so its nodes cannot be released"));
                cloud.terminate(vmIds);
            }
        }
        volumes.destroyAttachedTo(nodes);
        store.tx(em -> {
            nodes.forEach(n -> {
                NodeEntity row = em.find(NodeEntity.class, n.getId());
                if (row != null) {
                    em.remove(row);
                }
            });
            return null;
        });
    }

    /** The volumes of their own the service's type asks for on the new nodes (see {@link NodeVolumes}). */
    void giveNodeVolumes(ServiceKey key, List<ServiceNode> nodes, ServiceManager manager, ServiceLog log) {
        nodeVolumes.give(key, nodes, manager, log);
    }

    /** Installs the type's plug-in on a running node (again), e.g. after the agent restarted. */
    void installPlugin(ServiceNode node, RegisteredType type) {
        agents.installPlugin(node, type.name(), type.bundleJar().get());
    }

    private List<CloudNode> launch(ServiceKey service, List<NodeEntity> rows, CloudDriver cloud,
            String startupScript, NodeSize size, Map<String, String> recorded) {
        List<NodeLaunch> launches = new ArrayList<>();
        Map<String, Long> rowIds = new HashMap<>();
        Optional<HostShare> hostShare = cloud.hostShare();
        for (NodeEntity node : rows) {
            rowIds.put(node.getNodeId(), node.getId());
            NodeCredentials credentials = pki.issueNodeCredentials(node.getNodeId(), service.owner(),
                    service.applicationId());
            // Where the agent listens (address, port) and its folders are the driver's to decide: the user data
            // takes them from the environment the driver runs it in, or its defaults (see NodeLaunch).
            Map<String, String> config = Map.of(
                    "conpaas.node.id", node.getNodeId(),
                    "conpaas.node.role", node.getRole(),
                    "conpaas.user.id", service.owner(),
                    "conpaas.application.id", String.valueOf(service.applicationId()),
                    "conpaas.service.id", String.valueOf(service.number()));
            String userData = settings.userData().render(node.getNodeId(), config, credentials, startupScript,
                    hostShare);
            String name = settings.deploymentName() + "-u" + service.owner() + "-a" + service.applicationId() + "-s"
                    + service.number() + "-" + service.type() + "-" + node.getNodeId();
            launches.add(new NodeLaunch(node.getNodeId(), name, node.getRole(), userData));
        }
        LaunchListener recordMachine = (nodeId, vmId) -> {
            Long rowId = rowIds.get(nodeId);
            if (rowId == null || vmId == null) {
                return; // not ours: the driver's mistake, reported when the launch returns
            }
            recorded.put(nodeId, vmId);
            store.tx(em -> {
                NodeEntity node = em.find(NodeEntity.class, rowId);
                if (node != null) {
                    node.setVmId(vmId);
                }
                return null;
            });
        };
        return cloud.launch(new LaunchRequest(settings.deploymentName(), launches, recordMachine, size));
    }

    private List<ServiceNode> awaitAll(List<NodeEntity> rows, Map<String, CloudNode> launched, CloudDriver cloud,
            RegisteredType type, BooleanSupplier cancelled) {
        List<CompletableFuture<ServiceNode>> waits = rows.stream()
                .map(row -> CompletableFuture.supplyAsync(
                        () -> awaitAgent(row, launched.get(row.getNodeId()), cloud, type, cancelled), executor))
                .toList();
        List<ServiceNode> ready = new ArrayList<>();
        ConpaasException firstFailure = null;
        for (CompletableFuture<ServiceNode> wait : waits) {
            try {
                ready.add(wait.join());
            } catch (CompletionException e) {
                if (firstFailure == null) {
                    firstFailure = e.getCause() instanceof ConpaasException c ? c
                            : new CloudException("a node failed to start: " + e.getCause().getMessage(), e);
                }
            }
        }
        if (firstFailure != null) {
            throw firstFailure;
        }
        return ready;
    }

    /** Waits until the node's agent answers, then installs the service's plug-in and active code version on it. */
    private ServiceNode awaitAgent(NodeEntity row, CloudNode vm, CloudDriver cloud, RegisteredType type,
            BooleanSupplier cancelled) {
        long deadline = System.nanoTime() + settings.nodeStartTimeout().toNanos();
        String address = vm.address();
        String lastProblem = "no address assigned yet";
        long nextCloudCheck = System.nanoTime() + CLOUD_CHECK_EVERY.toNanos();
        while (System.nanoTime() < deadline) {
            checkNotCancelled(cancelled);
            if (address == null) {
                List<CloudNode> described = cloud.describe(List.of(vm.vmId()));
                if (ended(described)) {
                    throw new CloudException("node " + row.getNodeId() + " (" + vm.vmId() + ") ended while starting"
                            + reason(described));
                }
                address = described.get(0).address();
            }
            if (address != null) {
                ServiceNode node = new ServiceNode(row.getNodeId(), row.getRole(), address, row.getPort(),
                        cloud.name(), vm.vmId());
                try {
                    agents.status(node, STATUS_TIMEOUT);
                } catch (AgentException notYet) {
                    lastProblem = notYet.getMessage();
                    if (System.nanoTime() - nextCloudCheck >= 0) {
                        checkStillThere(row, vm, cloud);
                        nextCloudCheck = System.nanoTime() + CLOUD_CHECK_EVERY.toNanos();
                    }
                    sleep(POLL);
                    continue;
                }
                store.tx(em -> {
                    em.find(NodeEntity.class, row.getId()).setAddress(node.address());
                    return null;
                });
                try {
                    agents.installPlugin(node, type.name(), type.bundleJar().get());
                    nodeCode.installActive(row.getServiceId(), node);
                } catch (AgentUnreachableException dropped) {
                    // No answer at all (seen on a machine starting 50 agents at once): the set-up is idempotent
                    // (the same jar and code version again), so ask again while the start timeout allows.
                    LOG.info("node {} did not answer its set-up, asking again: {}", row.getNodeId(),
                            dropped.getMessage());
                    lastProblem = dropped.getMessage();
                    sleep(POLL);
                    continue;
                }
                return node;
            }
            sleep(ADDRESS_POLL);
        }
        throw new CloudException("node " + row.getNodeId() + " did not start within "
                + settings.nodeStartTimeout().toSeconds() + " s: " + lastProblem);
    }

    private static void checkNotCancelled(BooleanSupplier cancelled) {
        if (cancelled.getAsBoolean()) {
            throw new CloudException("cancelled: the service is being stopped");
        }
    }

    /** Fails fast when the machine is gone instead of waiting for the whole start timeout. */
    private void checkStillThere(NodeEntity row, CloudNode vm, CloudDriver cloud) {
        List<CloudNode> described = cloud.describe(List.of(vm.vmId()));
        if (ended(described)) {
            throw new CloudException("node " + row.getNodeId() + " (" + vm.vmId() + ") ended while starting"
                    + reason(described));
        }
    }

    private static boolean ended(List<CloudNode> described) {
        return described.isEmpty() || described.get(0).state() == CloudNodeState.TERMINATED
                || described.get(0).state() == CloudNodeState.FAILED;
    }

    private static String reason(List<CloudNode> described) {
        String detail = described.isEmpty() ? null : described.get(0).detail();
        return detail == null || detail.isBlank() ? "" : ": " + detail;
    }

    private void terminateQuietly(CloudDriver cloud, List<String> vmIds) {
        if (vmIds.isEmpty()) {
            return;
        }
        try {
            cloud.terminate(vmIds);
        } catch (RuntimeException e) {
            LOG.error("cannot terminate {} in cloud {}: {}", vmIds, cloud.name(), e.getMessage());
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CloudException("interrupted while waiting for a node");
        }
    }
}
