package org.conpaas.core.internal.code;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.conpaas.api.AgentException;
import org.conpaas.api.model.CodeVersionInfo;
import org.conpaas.api.service.ServiceNode;
import org.conpaas.core.internal.agent.AgentClient;
import org.conpaas.core.internal.persistence.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The code on the nodes, owned by the core: every node stores code versions in its agent (docs/code-distribution.md)
 * and serves one of them, which its row records. A new node gets the service's active version when its plug-in is
 * installed; activating a version pushes it to every node first and only then switches them, so a node that cannot
 * take it fails the activation before any node serves it, and a node that cannot switch sends those already switched
 * back to the version they served. Service types only react to the switch (their agent plug-in's hook).
 */
public final class NodeCode {

    private static final Logger LOG = LoggerFactory.getLogger(NodeCode.class);
    /** Archives sent to one service's nodes at the same time; each sends the whole archive. */
    static final int MAX_PARALLEL = 8;

    private final Store store;
    private final AgentClient agents;
    private final CodeVersions code;

    public NodeCode(Store store, AgentClient agents, CodeVersions code) {
        this.store = store;
        this.agents = agents;
        this.code = code;
    }

    /** Stores and activates the service's active version on a new node; nothing when no version is active. */
    public void installActive(long serviceDbId, ServiceNode node) {
        Optional<CodeVersionInfo> active = code.list(serviceDbId).stream().filter(CodeVersionInfo::active)
                .findFirst();
        if (active.isEmpty()) {
            LOG.info("service {} has no active code version: node {} starts without code", serviceDbId, node.id());
            return;
        }
        String version = active.get().id();
        agents.installCode(node, version, code.repository(serviceDbId).archive(version));
        agents.activateCode(node, version);
        record(serviceDbId, node, version);
    }

    /**
     * Makes {@code version} the one every node serves: pushed to all (at most {@link #MAX_PARALLEL} at a time), then
     * switched on each. On a failure the nodes already switched go back to {@code previous} (when there is one) and
     * the failure, naming the node and its reason, is thrown.
     */
    public void activate(long serviceDbId, List<ServiceNode> nodes, String version, Optional<String> previous) {
        if (nodes.isEmpty()) {
            return;
        }
        Path archive = code.repository(serviceDbId).archive(version);
        onEach(nodes, node -> agents.installCode(node, version, archive), "stored");
        List<ServiceNode> switched = new ArrayList<>();
        try {
            onEach(nodes, node -> {
                agents.activateCode(node, version);
                synchronized (switched) {
                    switched.add(node);
                }
                record(serviceDbId, node, version);
            }, "activated");
        } catch (AgentException failure) {
            switchBack(serviceDbId, switched, previous, failure);
            throw failure;
        }
    }

    /**
     * Puts nodes back on {@code previous} (after the manager's reaction to a new version failed); best effort: a node
     * that cannot switch back is logged and keeps its record of what it serves.
     */
    public void switchBack(long serviceDbId, List<ServiceNode> nodes, Optional<String> previous,
            Throwable cause) {
        if (previous.isEmpty() || nodes.isEmpty()) {
            return;
        }
        String version = previous.get();
        for (ServiceNode node : nodes) {
            try {
                agents.activateCode(node, version);
                record(serviceDbId, node, version);
            } catch (RuntimeException e) {
                LOG.error("node {} could not switch back to code version {}: {}", node.id(), version, e.getMessage());
                cause.addSuppressed(e);
            }
        }
    }

    private void record(long serviceDbId, ServiceNode node, String version) {
        store.tx(em -> {
            store.recordCodeVersion(em, serviceDbId, node.id(), version);
            return null;
        });
    }

    /** Runs {@code step} on every node in parallel; the failures are thrown together, naming every node. */
    private static void onEach(List<ServiceNode> nodes, Consumer<ServiceNode> step, String what) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(nodes.size(), MAX_PARALLEL),
                runnable -> {
                    Thread thread = new Thread(runnable, "conpaas-node-code");
                    thread.setDaemon(true);
                    return thread;
                });
        Map<String, Throwable> failures = new LinkedHashMap<>();
        try {
            List<CompletableFuture<Void>> calls = nodes.stream()
                    .map(node -> CompletableFuture.runAsync(() -> step.accept(node), pool)).toList();
            for (int i = 0; i < nodes.size(); i++) {
                try {
                    calls.get(i).join();
                } catch (CompletionException e) {
                    failures.put(nodes.get(i).id(), e.getCause() == null ? e : e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        if (!failures.isEmpty()) {
            String reasons = failures.entrySet().stream()
                    .map(f -> f.getValue() instanceof AgentException ? f.getValue().getMessage()
                            : f.getKey() + ": " + f.getValue().getMessage())
                    .collect(Collectors.joining("; "));
            String first = failures.keySet().iterator().next();
            throw new AgentException(first, "the code was not " + what + " on "
                    + String.join(", ", failures.keySet()) + " (" + reasons + ")", failures.get(first));
        }
    }
}
