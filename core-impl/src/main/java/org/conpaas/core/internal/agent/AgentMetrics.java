package org.conpaas.core.internal.agent;

/**
 * The node's load as its agent reports it ({@code GET /v1/metrics}): CPU time used so far by the agent and the
 * processes it started, their resident memory now, and the machine's size. -1 for what an agent did not say.
 */
public record AgentMetrics(long processCpuMillis, long processRssKb, int cpus, long memTotalKb) {
}
