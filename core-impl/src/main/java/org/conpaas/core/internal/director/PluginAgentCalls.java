package org.conpaas.core.internal.director;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import org.conpaas.api.AgentException;
import org.conpaas.api.service.AgentCalls;
import org.conpaas.api.service.ServiceNode;
import org.conpaas.core.internal.agent.AgentClient;

/** Agent calls of one service type's plug-in. */
final class PluginAgentCalls implements AgentCalls {
    private final AgentClient client;
    private final String type;
    private final ExecutorService executor;

    PluginAgentCalls(AgentClient client, String type, ExecutorService executor) {
        this.client = client;
        this.type = type;
        this.executor = executor;
    }

    @Override
    public Object call(ServiceNode node, String operation, Map<String, Object> params, Map<String, Path> files) {
        return client.call(node, type, operation, params, files);
    }

    @Override
    public List<Object> callAll(List<ServiceNode> nodes, String operation, Map<String, Object> params) {
        List<CompletableFuture<Object>> calls = nodes.stream()
                .map(n -> CompletableFuture.supplyAsync(() -> call(n, operation, params), executor))
                .toList();
        List<Object> results = new ArrayList<>();
        for (CompletableFuture<Object> call : calls) {
            try {
                results.add(call.join());
            } catch (CompletionException e) {
                if (e.getCause() instanceof AgentException agentFailure) {
                    throw agentFailure;
                }
                throw e;
            }
        }
        return results;
    }

    @Override
    public String log(ServiceNode node, String file, int tail) {
        return client.log(node, file, tail);
    }
}
