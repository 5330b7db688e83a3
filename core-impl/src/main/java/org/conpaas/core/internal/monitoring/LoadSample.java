package org.conpaas.core.internal.monitoring;

import java.time.Instant;

/**
 * One sample of a node's load: the CPU its processes used since the sample before, in percent of one CPU (so a node
 * busy on two CPUs shows 200; null for a node's first sample, which has nothing to compare with), and their resident
 * memory in MB.
 */
public record LoadSample(Instant time, Double cpuPercent, double memoryMb) {
}
