package org.conpaas.agent.core.http;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** What {@code GET /v1/metrics} reports about the agent's process and its host. */
final class Metrics {

    private Metrics() {
    }

    static Map<String, Object> current() {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("rssKb", residentSetKb());
        metrics.put("heapUsedKb", heap.getUsed() / 1024);
        metrics.put("heapMaxKb", heap.getMax() < 0 ? -1 : heap.getMax() / 1024);
        metrics.put("threads", ManagementFactory.getThreadMXBean().getThreadCount());
        metrics.put("loadAverage", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        return metrics;
    }

    /** VmRSS of /proc/self/status (Linux); -1 where that file does not exist. */
    static long residentSetKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
