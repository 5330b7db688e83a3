package org.conpaas.core.internal.monitoring;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.conpaas.api.State;
import org.conpaas.core.internal.agent.AgentClient;
import org.conpaas.core.internal.agent.AgentMetrics;
import org.conpaas.core.internal.persistence.ApplicationEntity;
import org.conpaas.core.internal.persistence.NodeEntity;
import org.conpaas.core.internal.persistence.ServiceEntity;
import org.conpaas.core.internal.persistence.Store;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples the load of every running node every {@code loadSamplePeriodSeconds}: one {@code GET /v1/metrics} per
 * node over the agent connection the director already keeps, a few at a time, each with a short timeout. Kept in
 * memory only (the last hour of each node that is still running): charts of the recent past need no database, and a
 * director restart losing an hour of charts is acceptable. A node that does not answer just has no sample for that
 * round; telling failed nodes is the health monitor's job.
 */
@Component(service = NodeLoads.class, immediate = true, configurationPid = "org.conpaas.director")
public final class NodeLoadSampler implements NodeLoads {
    private static final Logger LOG = LoggerFactory.getLogger(NodeLoadSampler.class);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(3);

    private final Store store;
    private final AgentClient agents;
    private final Clock clock;
    private final Map<String, NodeLoadHistory> histories = new ConcurrentHashMap<>();
    private final Set<String> sampling = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService timer;
    private ExecutorService calls;
    private volatile Duration period = Duration.ZERO;

    @Activate
    public NodeLoadSampler(@Reference Store store, @Reference AgentClient agents, NodeLoadsConfig config) {
        this(store, agents, Clock.systemUTC());
        schedule(config);
    }

    NodeLoadSampler(Store store, AgentClient agents, Clock clock) {
        this.store = store;
        this.agents = agents;
        this.clock = clock;
    }

    @Modified
    void modified(NodeLoadsConfig config) {
        schedule(config);
    }

    private synchronized void schedule(NodeLoadsConfig config) {
        Duration wanted = Duration.ofSeconds(Math.max(0, config.loadSamplePeriodSeconds()));
        int threads = Math.max(1, Math.min(64, config.loadSampleThreads()));
        stopTimers();
        period = wanted;
        if (wanted.isZero()) {
            return;
        }
        calls = Executors.newFixedThreadPool(threads, daemonThreads("conpaas-load-sample-"));
        timer = Executors.newSingleThreadScheduledExecutor(daemonThreads("conpaas-load-timer-"));
        timer.scheduleWithFixedDelay(this::roundQuietly, 1000, wanted.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Deactivate
    synchronized void deactivate() {
        stopTimers();
    }

    private void stopTimers() {
        if (timer != null) {
            timer.shutdownNow();
            calls.shutdownNow();
            timer = null;
            calls = null;
        }
    }

    @Override
    public Duration period() {
        return period;
    }

    @Override
    public List<NodeLoad> of(Collection<String> nodeIds) {
        List<NodeLoad> loads = new ArrayList<>();
        for (String id : nodeIds) {
            NodeLoadHistory history = histories.get(id);
            if (history != null) {
                loads.add(history.view(id));
            }
        }
        return loads;
    }

    @Override
    public List<NodeLoad> all() {
        return of(new ArrayList<>(new java.util.TreeSet<>(histories.keySet())));
    }

    private void roundQuietly() {
        try {
            ExecutorService pool;
            synchronized (this) {
                pool = calls;
            }
            if (pool != null) {
                round(pool, CALL_TIMEOUT.plusSeconds(1));
            }
        } catch (RuntimeException e) {
            LOG.warn("sampling the nodes' load failed: {}", e.getMessage(), e);
        }
    }

    /** One round over every running node; waits up to {@code wait} for the answers. */
    void round(ExecutorService pool, Duration wait) {
        record Target(NodeEntity node, NodeLoadHistory.Labels labels) {
        }
        List<Target> targets = store.tx(em -> {
            Map<Long, ApplicationEntity> apps = new HashMap<>();
            Map<Long, ServiceEntity> services = new HashMap<>();
            List<Target> all = new ArrayList<>();
            for (NodeEntity n : store.runningNodesOfServicesIn(em, EnumSet.allOf(State.class))) {
                ApplicationEntity app = apps.computeIfAbsent(n.getApplicationId(),
                        id -> em.find(ApplicationEntity.class, id));
                ServiceEntity svc = services.computeIfAbsent(n.getServiceId(), id -> em.find(ServiceEntity.class, id));
                if (app != null && svc != null) {
                    all.add(new Target(n, new NodeLoadHistory.Labels(app.getOwnerId(), app.getId(), app.getName(),
                            svc.getName(), svc.getType(), n.getRole())));
                }
            }
            return all;
        });
        Set<String> running = new java.util.HashSet<>();
        targets.forEach(t -> running.add(t.node().getNodeId()));
        histories.keySet().retainAll(running); // released nodes leave no history behind
        List<CompletableFuture<Void>> started = new ArrayList<>();
        for (Target target : targets) {
            String id = target.node().getNodeId();
            if (sampling.add(id)) {
                started.add(CompletableFuture.runAsync(() -> sample(target.node(), target.labels()), pool)
                        .whenComplete((ok, e) -> sampling.remove(id)));
            }
        }
        try {
            CompletableFuture.allOf(started.toArray(CompletableFuture[]::new))
                    .get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            LOG.debug("load samples still waiting or failed: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void sample(NodeEntity node, NodeLoadHistory.Labels labels) {
        AgentMetrics metrics;
        try {
            metrics = agents.metrics(Store.serviceNode(node), CALL_TIMEOUT);
        } catch (RuntimeException e) {
            LOG.debug("no load sample of {}: {}", node.getNodeId(), e.getMessage());
            return;
        }
        if (metrics.processCpuMillis() < 0) {
            return; // an agent of an older version: nothing to chart
        }
        NodeLoadHistory history = histories.computeIfAbsent(node.getNodeId(), id -> new NodeLoadHistory(labels));
        history.labels(labels);
        history.add(clock.instant(), metrics.processCpuMillis(), Math.max(0, metrics.processRssKb()),
                metrics.service());
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
