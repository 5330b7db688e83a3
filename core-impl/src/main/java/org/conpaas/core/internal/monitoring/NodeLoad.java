package org.conpaas.core.internal.monitoring;

import java.util.List;
import java.util.Map;

/**
 * A node's recent load with what it belongs to (the labels of {@code /api/v1/metrics}); {@code figuresNow} are the
 * service type's figures of the last sample as the node said them (counters as totals, for Prometheus).
 */
public record NodeLoad(String node, String owner, long applicationId, String applicationName, String serviceName,
        String type, String role, long cpuMillisTotal, List<LoadSample> samples, Map<String, Double> figuresNow) {

    public NodeLoad {
        figuresNow = figuresNow == null ? Map.of() : Map.copyOf(figuresNow);
    }

    public NodeLoad(String node, String owner, long applicationId, String applicationName, String serviceName,
            String type, String role, long cpuMillisTotal, List<LoadSample> samples) {
        this(node, owner, applicationId, applicationName, serviceName, type, role, cpuMillisTotal, samples, Map.of());
    }
}
