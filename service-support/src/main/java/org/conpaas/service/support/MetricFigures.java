package org.conpaas.service.support;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.conpaas.api.agent.AgentPlugin;

/**
 * The rule for a node's service figures ({@link AgentPlugin#metrics()}), applied by the agent to what its plug-ins
 * say and again by the director to what an agent says (it runs on a tenant's node): well-named, finite, at most
 * {@link AgentPlugin#MAX_METRICS}, in name order.
 */
public final class MetricFigures {

    private MetricFigures() {
    }

    /** The figures of {@code said} that follow the rule; null names or values and a null map give none. */
    public static Map<String, Double> kept(Map<String, ? extends Number> said) {
        TreeMap<String, Double> kept = new TreeMap<>();
        if (said != null) {
            said.forEach((name, value) -> {
                if (name != null && AgentPlugin.METRIC_NAME.matcher(name).matches() && value != null
                        && Double.isFinite(value.doubleValue())) {
                    kept.put(name, value.doubleValue());
                }
            });
        }
        while (kept.size() > AgentPlugin.MAX_METRICS) {
            kept.pollLastEntry();
        }
        return Collections.unmodifiableMap(kept);
    }
}
