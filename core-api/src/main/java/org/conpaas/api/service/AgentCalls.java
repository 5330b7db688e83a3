package org.conpaas.api.service;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.conpaas.api.AgentException;

/** Calls to the agent plug-in of this service on its nodes (HTTPS with mutual TLS underneath). */
public interface AgentCalls {

    /** Calls an operation of the service's agent plug-in on one node; returns its JSON result. */
    default Object call(ServiceNode node, String operation, Map<String, Object> params) throws AgentException {
        return call(node, operation, params, Map.of());
    }

    /** As {@link #call(ServiceNode, String, Map)}, sending files along (multipart). */
    Object call(ServiceNode node, String operation, Map<String, Object> params, Map<String, Path> files)
            throws AgentException;

    /** Calls the same operation on several nodes in parallel; results in the order of {@code nodes}. */
    List<Object> callAll(List<ServiceNode> nodes, String operation, Map<String, Object> params) throws AgentException;

    /** Reads a log file of a node; {@code tail} > 0 keeps only the last lines. */
    String log(ServiceNode node, String file, int tail) throws AgentException;
}
