package org.conpaas.core.internal.monitoring;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The samples of one node for the last hour, oldest first: a ring bounded by time and by count, so neither a short
 * period nor a long-lived node makes it grow.
 */
final class NodeLoadHistory {

    static final Duration KEPT = Duration.ofHours(1);
    /** An hour at one sample a second: the most a node holds whatever the period. */
    static final int MAX_SAMPLES = 3600;
    /** A figure counted since its server started; charted per second under the name with {@link #RATE}. */
    static final String COUNTER = "_total";
    static final String RATE = "_per_second";

    private final ArrayDeque<LoadSample> samples = new ArrayDeque<>();
    private volatile Labels labels;
    private long lastCpuMillis = -1;
    private Instant lastTime;
    private Map<String, Double> lastFigures = Map.of();

    /** What the node belongs to, refreshed at each sample (a service can be renamed). */
    record Labels(String owner, long applicationId, String applicationName, String serviceName, String type,
            String role) {
    }

    NodeLoadHistory(Labels labels) {
        this.labels = labels;
    }

    void labels(Labels current) {
        labels = current;
    }

    /** Records what the agent said at {@code time}; CPU is the difference to the sample before. */
    synchronized void add(Instant time, long cpuMillis, long rssKb) {
        add(time, cpuMillis, rssKb, Map.of());
    }

    /** The same with the service type's own figures; a counter's rate is the difference to the sample before too. */
    synchronized void add(Instant time, long cpuMillis, long rssKb, Map<String, Double> figures) {
        boolean comparable = lastTime != null && time.isAfter(lastTime);
        double elapsedMillis = comparable ? Duration.between(lastTime, time).toMillis() : 0;
        Double cpu = null;
        if (comparable && cpuMillis >= lastCpuMillis) {
            cpu = Math.round((cpuMillis - lastCpuMillis) / elapsedMillis * 1000.0) / 10.0; // percent, one decimal
        }
        // a restarted agent (or server) counts from zero again: no figure for that sample, the next compares with it
        Map<String, Double> charted = new TreeMap<>();
        figures.forEach((name, value) -> {
            if (!name.endsWith(COUNTER)) {
                charted.put(name, value);
                return;
            }
            Double before = lastFigures.get(name);
            if (comparable && before != null && value >= before) {
                String rate = name.substring(0, name.length() - COUNTER.length()) + RATE;
                charted.put(rate, Math.round((value - before) / elapsedMillis * 100_000.0) / 100.0);
            }
        });
        lastCpuMillis = cpuMillis;
        lastTime = time;
        lastFigures = Map.copyOf(figures);
        samples.addLast(new LoadSample(time, cpu, Math.round(rssKb / 102.4) / 10.0, charted));
        Instant oldest = time.minus(KEPT);
        while (!samples.isEmpty() && (samples.size() > MAX_SAMPLES || samples.peekFirst().time().isBefore(oldest))) {
            samples.removeFirst();
        }
    }

    synchronized NodeLoad view(String node) {
        Labels l = labels;
        return new NodeLoad(node, l.owner(), l.applicationId(), l.applicationName(), l.serviceName(), l.type(),
                l.role(), Math.max(0, lastCpuMillis), List.copyOf(new ArrayList<>(samples)), lastFigures);
    }
}
