package org.conpaas.core.internal.director;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.conpaas.api.AgentException;
import org.conpaas.api.service.ServiceNode;
import org.conpaas.core.internal.agent.AgentBusyException;
import org.conpaas.core.internal.agent.AgentClient;
import org.conpaas.core.internal.agent.AgentStatus;
import org.conpaas.core.internal.agent.AgentUnreachableException;

/** Agents that answer for every address the fake cloud runs, unless marked dead. */
final class FakeAgents implements AgentClient {
    private final FakeCloud cloud;
    final Map<String, String> plugins = new ConcurrentHashMap<>();
    final Set<String> dead = ConcurrentHashMap.newKeySet();
    /** Nodes whose agents answer 503: alive, but with as many requests at work as they take. */
    final Set<String> busy = ConcurrentHashMap.newKeySet();
    /** Node id → what its plug-in says is wrong there (the status call reports it). */
    final Map<String, String> problems = new java.util.concurrent.ConcurrentHashMap<>();
    /** Node ids whose agent drops the connection of its first plug-in install without answering. */
    final Set<String> dropFirstInstall = ConcurrentHashMap.newKeySet();
    /** Plug-in installs each node received (dropped ones included). */
    final Map<String, Integer> installs = new ConcurrentHashMap<>();
    /** While set, no agent answers a status call (nodes that never come up). */
    volatile boolean silent;
    /** Mounted volumes: "nodeId/name" → device. */
    final Map<String, String> mounted = new ConcurrentHashMap<>();
    /** Code versions each node stores, and the one it serves: node id → versions, node id → active. */
    final Map<String, Set<String>> codeStored = new ConcurrentHashMap<>();
    final Map<String, String> codeActive = new ConcurrentHashMap<>();
    /** Nodes that refuse to activate this version (their plug-in cannot serve it). */
    final Map<String, String> refuseActivation = new ConcurrentHashMap<>();

    FakeAgents(FakeCloud cloud) {
        this.cloud = cloud;
    }

    @Override
    public AgentStatus status(ServiceNode node, Duration timeout) {
        if (silent) {
            throw new AgentException(node.id(), "no agent answers at " + node.address() + " yet");
        }
        if (busy.contains(node.id())) {
            throw new AgentBusyException(node.id(), "node " + node.id() + " is busy", Duration.ofSeconds(1));
        }
        return new AgentStatus(nodeIdAt(node), 1, plugins.containsKey(node.address())
                ? Map.of(plugins.get(node.address()), "1") : Map.of(),
                problems.containsKey(node.id()) ? Map.of("echo", problems.get(node.id())) : Map.of());
    }

    @Override
    public void installPlugin(ServiceNode node, String type, byte[] bundleJar) {
        nodeIdAt(node);
        installs.merge(node.id(), 1, Integer::sum);
        if (dropFirstInstall.remove(node.id())) {
            throw new AgentUnreachableException(node.id(), "node " + node.id() + " could not be reached at "
                    + node.address() + ": HTTP/1.1 header parser received no bytes", null);
        }
        plugins.put(node.address(), type);
    }

    @Override
    public Object call(ServiceNode node, String type, String operation, Map<String, Object> params,
            Map<String, Path> files) {
        return "hello from " + nodeIdAt(node);
    }

    /** Load of a node: grows by a second of CPU at each call. */
    private final java.util.concurrent.atomic.AtomicLong cpuMillis = new java.util.concurrent.atomic.AtomicLong();

    @Override
    public org.conpaas.core.internal.agent.AgentMetrics metrics(ServiceNode node, java.time.Duration timeout) {
        nodeIdAt(node);
        long cpu = cpuMillis.addAndGet(1000);
        // a service type's counter: as many requests as CPU milliseconds, and one figure that is not well named
        return new org.conpaas.core.internal.agent.AgentMetrics(cpu, 20480, 2, 1048576,
                java.util.Map.of("requests_total", (double) cpu, "Bad Name", 1.0));
    }

    @Override
    public String log(ServiceNode node, String file, int tail) {
        return "log of " + nodeIdAt(node);
    }

    @Override
    public String mountVolume(ServiceNode node, String name, String device) {
        mounted.put(nodeIdAt(node) + "/" + name, device);
        return "/nodes/" + node.id() + "/media/" + name;
    }

    @Override
    public void unmountVolume(ServiceNode node, String name) {
        mounted.remove(nodeIdAt(node) + "/" + name);
    }

    @Override
    public void installCode(ServiceNode node, String version, Path archive) {
        codeStored.computeIfAbsent(nodeIdAt(node), id -> ConcurrentHashMap.newKeySet()).add(version);
    }

    @Override
    public void activateCode(ServiceNode node, String version) {
        String id = nodeIdAt(node);
        if (!codeStored.getOrDefault(id, Set.of()).contains(version)) {
            throw new AgentException(id, "node " + id + " refused activating code version " + version
                    + ": it is not stored on this node");
        }
        if (version.equals(refuseActivation.get(id))) {
            throw new AgentException(id, "node " + id + " refused activating code version " + version
                    + ": the plug-in cannot serve it");
        }
        codeActive.put(id, version);
    }

    private String nodeIdAt(ServiceNode node) {
        return cloud.machines.values().stream()
                .filter(m -> m.address().equals(node.address()) && !dead.contains(m.nodeId()))
                .map(m -> m.nodeId()).findFirst()
                .orElseThrow(() -> new AgentException(node.id(), "no agent answers at " + node.address()));
    }
}
