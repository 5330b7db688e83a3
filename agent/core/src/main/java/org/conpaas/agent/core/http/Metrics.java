package org.conpaas.agent.core.http;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What {@code GET /v1/metrics} reports about the agent's process and its host. The node's load is that of the
 * agent and every process it started (its descendants: nginx, php-fpm, mariadbd, a user's scripts...): their CPU
 * time so far and their resident memory now. That is the node's own work on every cloud, also where several nodes
 * share one host (the local cloud), where the host's /proc/stat would show the same figure for all of them.
 */
final class Metrics {

    private Metrics() {
    }

    /** {@code figures}: the plug-ins' own ({@code service}), e.g. requests served so far. */
    static Map<String, Object> current(Map<String, Double> figures) {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("rssKb", residentSetKb(Path.of("/proc/self/status")));
        metrics.put("heapUsedKb", heap.getUsed() / 1024);
        metrics.put("heapMaxKb", heap.getMax() < 0 ? -1 : heap.getMax() / 1024);
        metrics.put("threads", ManagementFactory.getThreadMXBean().getThreadCount());
        metrics.put("loadAverage", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        List<ProcessHandle> tree;
        try (Stream<ProcessHandle> descendants = ProcessHandle.current().descendants()) {
            tree = Stream.concat(Stream.of(ProcessHandle.current()), descendants).toList();
        }
        long cpuMillis = 0;
        long rssKb = 0;
        for (ProcessHandle process : tree) {
            cpuMillis += process.info().totalCpuDuration().map(Duration::toMillis).orElse(0L);
            rssKb += Math.max(0, residentSetKb(Path.of("/proc", Long.toString(process.pid()), "status")));
        }
        metrics.put("processes", tree.size());
        metrics.put("processCpuMillis", cpuMillis);
        metrics.put("processRssKb", rssKb);
        metrics.put("cpus", Runtime.getRuntime().availableProcessors());
        metrics.put("memTotalKb", memTotalKb());
        metrics.put("service", figures);
        return metrics;
    }

    /** VmRSS of a /proc/<pid>/status file (Linux); -1 where it does not exist (the process ended, or no /proc). */
    static long residentSetKb(Path status) {
        return kbField(status, "VmRSS:");
    }

    /** MemTotal of /proc/meminfo; -1 without it. */
    static long memTotalKb() {
        return kbField(Path.of("/proc/meminfo"), "MemTotal:");
    }

    private static long kbField(Path file, String prefix) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(prefix)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
