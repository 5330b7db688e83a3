package org.conpaas.core.internal.agent;

import java.util.Map;

/** What {@code GET /v1/status} of an agent says: who it is, its process and the plug-ins it has (type → version). */
public record AgentStatus(String nodeId, long pid, Map<String, String> plugins) {
}
