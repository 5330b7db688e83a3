package org.conpaas.core.internal.agent;

import java.util.Map;

/**
 * What {@code GET /v1/status} of an agent says: who it is, its process, the plug-ins it has (type → version) and what
 * they say is wrong on the node (type → sentence; empty when all is well).
 */
public record AgentStatus(String nodeId, long pid, Map<String, String> plugins, Map<String, String> problems) {

    public AgentStatus {
        plugins = Map.copyOf(plugins);
        problems = problems == null ? Map.of() : Map.copyOf(problems);
    }

    /** The plug-ins' problems in one sentence, or null when there is none. */
    public String problem() {
        return problems.isEmpty() ? null : String.join("; ", new java.util.TreeMap<>(problems).values());
    }
}
