package org.conpaas.core.internal.director;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.conpaas.api.State;
import org.conpaas.api.model.NodeStatus;
import org.conpaas.core.internal.agent.AgentBusyException;
import org.conpaas.core.internal.agent.AgentClient;
import org.conpaas.core.internal.agent.AgentStatus;
import org.conpaas.core.internal.persistence.NodeEntity;
import org.conpaas.core.internal.persistence.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices nodes whose agents stop answering. Every {@code period} it asks the agent of each running node of each
 * RUNNING service for its status ({@code GET /v1/status}, the same call {@link Recovery} uses, which also checks
 * that the agent is the node it should be), with a short timeout and at most {@code threads} checks at a time. A node
 * that misses {@code misses} checks in a row is handed to the {@link FailedNodeHandler}; one answer resets its count,
 * so an agent that comes back in time is fine.
 * <p>
 * Polling rather than agent heartbeats: the director already holds a mutual-TLS client to every agent, the agents
 * need no director address and no new endpoint, and a round is cheap: a status call over a kept-alive connection
 * takes a few milliseconds, so 1,000 nodes with 8 threads take well under a second of a 5 s period. A check still
 * waiting (an agent that hangs instead of refusing) is not started again; it counts when it ends.
 */
final class NodeHealthMonitor {
    private static final Logger LOG = LoggerFactory.getLogger(NodeHealthMonitor.class);
    private static final Set<State> WATCHED = EnumSet.of(State.RUNNING);

    /** From the director's configuration; a zero period switches the monitor off. */
    record Settings(Duration period, int misses, Duration timeout, int threads) {
        static final Settings DEFAULT = new Settings(Duration.ofSeconds(5), 2, Duration.ofSeconds(3), 8);

        Settings {
            if (misses < 1 || threads < 1 || period.isNegative() || timeout.isZero() || timeout.isNegative()) {
                throw new IllegalArgumentException("node checks need misses >= 1, threads >= 1, a period >= 0 and a "
                        + "positive timeout");
            }
        }

        /** Out-of-range values are raised to the smallest that works, so a typo cannot stop the director. */
        static Settings of(DirectorConfig config) {
            return new Settings(Duration.ofSeconds(Math.max(0, config.nodeCheckPeriodSeconds())),
                    Math.max(1, config.nodeCheckMisses()),
                    Duration.ofSeconds(Math.max(1, config.nodeCheckTimeoutSeconds())),
                    Math.max(1, config.nodeCheckThreads()));
        }
    }

    private final Store store;
    private final AgentClient agents;
    private final FailedNodeHandler handler;
    private final Settings settings;
    private final ExecutorService checks;
    private final Map<Long, Integer> misses = new ConcurrentHashMap<>();
    private final Map<Long, String> problems = new ConcurrentHashMap<>();
    private final Set<Long> checking = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService timer;
    private boolean stopped;

    NodeHealthMonitor(Store store, AgentClient agents, FailedNodeHandler handler, Settings settings) {
        this.store = store;
        this.agents = agents;
        this.handler = handler;
        this.settings = settings;
        this.checks = Executors.newFixedThreadPool(settings.threads(), daemonThreads("conpaas-node-check-"));
    }

    /** Starts the periodic rounds (at a fixed rate; a round that overruns delays the next, never overlaps it). */
    synchronized void start() {
        // stopped: the director was deactivated before its recovery (which starts the monitor) ended
        if (settings.period().isZero() || timer != null || stopped) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(daemonThreads("conpaas-node-monitor-"));
        long millis = settings.period().toMillis();
        timer.scheduleAtFixedRate(this::roundQuietly, millis, millis, TimeUnit.MILLISECONDS);
        LOG.info("checking running nodes every {} s; {} missed check(s) in a row make a node FAILED",
                settings.period().toSeconds(), settings.misses());
    }

    synchronized void stop() {
        stopped = true;
        if (timer != null) {
            timer.shutdownNow();
        }
        checks.shutdownNow();
    }

    private void roundQuietly() {
        try {
            round(settings.timeout().plusSeconds(1));
        } catch (RuntimeException e) {
            // A round must never end the schedule (a database hiccup, say): the next one tries again.
            LOG.warn("checking the nodes failed: {}", e.getMessage(), e);
        }
    }

    /**
     * One round: checks every watched node not still being checked, waits up to {@code wait} for the answers, then
     * declares the nodes that reached the miss count. Returns the node ids declared FAILED in this round.
     */
    List<String> round(Duration wait) {
        List<NodeEntity> watched = store.tx(em -> store.runningNodesOfServicesIn(em, WATCHED));
        Set<Long> ids = new HashSet<>();
        watched.forEach(n -> ids.add(n.getId()));
        // Nodes no longer watched (removed, or their service is busy) start from zero when they are watched again.
        misses.keySet().retainAll(ids);
        problems.keySet().retainAll(ids);
        List<CompletableFuture<Void>> started = new ArrayList<>();
        for (NodeEntity node : watched) {
            if (checking.add(node.getId())) {
                started.add(CompletableFuture.runAsync(() -> check(node), checks)
                        .whenComplete((ok, e) -> checking.remove(node.getId())));
            }
        }
        try {
            CompletableFuture.allOf(started.toArray(CompletableFuture[]::new))
                    .get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.debug("{} node check(s) still waiting; they count when they end", checking.size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        } catch (java.util.concurrent.ExecutionException e) {
            LOG.warn("a node check failed: {}", e.getMessage());
        }
        return declare(watched);
    }

    private void check(NodeEntity node) {
        AgentStatus status = null;
        try {
            status = agents.status(Store.serviceNode(node), settings.timeout());
        } catch (AgentBusyException busy) {
            // It answered over mutual TLS, only too busy (503) to say more: the node is alive, so this is no miss.
            LOG.debug("{} is busy: {}", node.getNodeId(), busy.getMessage());
        } catch (RuntimeException e) {
            int missed = misses.merge(node.getId(), 1, Integer::sum);
            problems.put(node.getId(), e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            LOG.debug("{} missed check {} of {}: {}", node.getNodeId(), missed, settings.misses(), e.getMessage());
            return;
        }
        if (misses.remove(node.getId()) != null) {
            LOG.info("the agent of {} answers again", node.getNodeId());
        }
        problems.remove(node.getId());
        if (status != null) { // a busy agent said nothing about its plug-ins
            recordPluginProblem(node, status.problem());
        }
    }

    /**
     * What the node's plug-in says is wrong there (a server it runs died) becomes the node's status reason while it
     * lasts; the node stays RUNNING (its agent answers, and the service type decides what the problem means).
     */
    private void recordPluginProblem(NodeEntity node, String problem) {
        if (java.util.Objects.equals(problem, node.getStatusReason())) {
            return;
        }
        boolean changed = store.tx(em -> {
            NodeEntity row = em.find(NodeEntity.class, node.getId());
            if (row == null || row.getStatus() != NodeStatus.RUNNING
                    || java.util.Objects.equals(problem, row.getStatusReason())) {
                return false;
            }
            row.setStatus(NodeStatus.RUNNING, problem);
            return true;
        });
        if (changed) {
            if (problem == null) {
                LOG.info("{} is well again", node.getNodeId());
            } else {
                LOG.warn("{}: {}", node.getNodeId(), problem);
            }
        }
    }

    /** Hands the nodes that reached the miss count to the handler, one batch per service. */
    private List<String> declare(List<NodeEntity> watched) {
        Map<Long, Map<Long, String>> byService = new LinkedHashMap<>();
        for (NodeEntity node : watched) {
            int missed = misses.getOrDefault(node.getId(), 0);
            if (missed >= settings.misses()) {
                String why = "its agent did not answer " + missed + " checks in a row (" + settings.period()
                        .toSeconds() + " s apart): " + problems.getOrDefault(node.getId(), "no answer");
                byService.computeIfAbsent(node.getServiceId(), s -> new LinkedHashMap<>()).put(node.getId(), why);
            }
        }
        List<String> declared = new ArrayList<>();
        byService.forEach((service, reasons) -> {
            declared.addAll(handler.nodesFailed(service, reasons));
            reasons.keySet().forEach(id -> {
                misses.remove(id);
                problems.remove(id);
            });
        });
        return declared;
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
