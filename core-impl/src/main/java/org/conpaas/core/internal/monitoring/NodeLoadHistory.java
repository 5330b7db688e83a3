package org.conpaas.core.internal.monitoring;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The samples of one node for the last hour, oldest first: a ring bounded by time and by count, so neither a short
 * period nor a long-lived node makes it grow.
 */
final class NodeLoadHistory {

    static final Duration KEPT = Duration.ofHours(1);
    /** An hour at one sample a second: the most a node holds whatever the period. */
    static final int MAX_SAMPLES = 3600;

    private final ArrayDeque<LoadSample> samples = new ArrayDeque<>();
    private volatile Labels labels;
    private long lastCpuMillis = -1;
    private Instant lastTime;

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
        Double cpu = null;
        if (lastTime != null && cpuMillis >= lastCpuMillis && time.isAfter(lastTime)) {
            double elapsed = Duration.between(lastTime, time).toMillis();
            cpu = Math.round((cpuMillis - lastCpuMillis) / elapsed * 1000.0) / 10.0; // percent, one decimal
        }
        // a restarted agent counts from zero again: no CPU figure for that sample, the next compares with it
        lastCpuMillis = cpuMillis;
        lastTime = time;
        samples.addLast(new LoadSample(time, cpu, Math.round(rssKb / 102.4) / 10.0));
        Instant oldest = time.minus(KEPT);
        while (!samples.isEmpty() && (samples.size() > MAX_SAMPLES || samples.peekFirst().time().isBefore(oldest))) {
            samples.removeFirst();
        }
    }

    synchronized NodeLoad view(String node) {
        Labels l = labels;
        return new NodeLoad(node, l.owner(), l.applicationId(), l.applicationName(), l.serviceName(), l.type(),
                l.role(), Math.max(0, lastCpuMillis), List.copyOf(new ArrayList<>(samples)));
    }
}
