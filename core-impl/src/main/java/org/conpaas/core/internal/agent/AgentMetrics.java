package org.conpaas.core.internal.agent;

import java.util.Map;

import org.conpaas.api.agent.AgentPlugin;
import org.conpaas.service.support.MetricFigures;

/**
 * The node's load as its agent reports it ({@code GET /v1/metrics}): CPU time used so far by the agent and the
 * processes it started, their resident memory now, the machine's size (-1 for what an agent did not say), and the
 * service type's own figures ({@link AgentPlugin#metrics}). The figures are checked again here: the agent runs on a
 * tenant's node, so the director keeps only well-named finite values, and a bounded number of them.
 */
public record AgentMetrics(long processCpuMillis, long processRssKb, int cpus, long memTotalKb,
        Map<String, Double> service) {

    public AgentMetrics {
        service = MetricFigures.kept(service);
    }
}
