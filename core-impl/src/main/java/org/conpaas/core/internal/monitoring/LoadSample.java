package org.conpaas.core.internal.monitoring;

import java.time.Instant;
import java.util.Map;

/**
 * One sample of a node's load: the CPU its processes used since the sample before, in percent of one CPU (so a node
 * busy on two CPUs shows 200; null for a node's first sample, which has nothing to compare with), their resident
 * memory in MB, and the service type's own figures: gauges as the node said them, counters ({@code x_total}) as
 * {@code x_per_second} since the sample before.
 */
public record LoadSample(Instant time, Double cpuPercent, double memoryMb, Map<String, Double> figures) {

    public LoadSample {
        figures = figures == null ? Map.of() : Map.copyOf(figures);
    }

    public LoadSample(Instant time, Double cpuPercent, double memoryMb) {
        this(time, cpuPercent, memoryMb, Map.of());
    }
}
