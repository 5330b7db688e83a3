package org.conpaas.core.internal.monitoring;

import java.util.List;

/** A node's recent load with what it belongs to (the labels of {@code /api/v1/metrics}). */
public record NodeLoad(String node, String owner, long applicationId, String applicationName, String serviceName,
        String type, String role, long cpuMillisTotal, List<LoadSample> samples) {
}
