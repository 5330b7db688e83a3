package org.conpaas.service.helloworld;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import org.conpaas.api.AgentException;
import org.conpaas.api.service.AgentCalls;
import org.conpaas.api.service.ManagerState;
import org.conpaas.api.service.ServiceContext;
import org.conpaas.api.service.ServiceLog;
import org.conpaas.api.service.ServiceNode;

/**
 * A director stand-in: its agents behave like the helloworld agent plug-in (startup stores a string per node,
 * get_helloworld returns it) and every call is recorded.
 */
final class FakeServiceContext implements ServiceContext, AgentCalls, ManagerState, ServiceLog {

    record Call(String nodeId, String operation, Map<String, Object> params) {
    }

    final List<ServiceNode> nodes = new ArrayList<>();
    final List<Call> calls = new ArrayList<>();
    final List<String> logLines = new ArrayList<>();
    private final Map<String, String> state = new TreeMap<>();
    private final Map<String, String> agentStrings = new HashMap<>();

    static ServiceNode node(String id) {
        return new ServiceNode(id, "node", "127.1.0." + id.replaceAll("\\D", ""), 5555, "default", "local-" + id);
    }

    @Override public long applicationId() { return 1; }
    @Override public int serviceId() { return 1; }
    @Override public String serviceName() { return "hello"; }
    @Override public String ownerId() { return "admin"; }
    @Override public List<ServiceNode> nodes() { return List.copyOf(nodes); }
    @Override public AgentCalls agents() { return this; }
    @Override public ManagerState state() { return this; }
    @Override public ServiceLog log() { return this; }
    @Override public ScheduledExecutorService scheduler() { return null; }

    @Override
    public Object call(ServiceNode node, String operation, Map<String, Object> params, Map<String, Path> files) {
        calls.add(new Call(node.id(), operation, params));
        switch (operation) {
            case "startup":
                agentStrings.put(node.id(), (String) params.get("string"));
                return Map.of();
            case "get_helloworld":
                return agentStrings.getOrDefault(node.id(), "helloworld");
            default:
                throw new AgentException(node.id(), "plug-in operation " + operation + " does not exist");
        }
    }

    @Override
    public List<Object> callAll(List<ServiceNode> targets, String operation, Map<String, Object> params) {
        List<Object> results = new ArrayList<>();
        for (ServiceNode node : targets) {
            results.add(call(node, operation, params, Map.of()));
        }
        return results;
    }

    @Override public String log(ServiceNode node, String file, int tail) { return ""; }

    @Override public Optional<String> get(String key) { return Optional.ofNullable(state.get(key)); }
    @Override public void put(String key, String value) { state.put(key, value); }
    @Override public void remove(String key) { state.remove(key); }
    @Override public Map<String, String> all() { return Map.copyOf(state); }

    @Override public void info(String message) { logLines.add("INFO " + message); }
    @Override public void warn(String message) { logLines.add("WARN " + message); }
    @Override public void error(String message, Throwable cause) { logLines.add("ERROR " + message); }

    /** helloworld has no code; an empty repository. */
    @Override
    public org.conpaas.api.service.CodeRepository code() {
        return new org.conpaas.api.service.CodeRepository() {
            @Override
            public java.util.List<org.conpaas.api.model.CodeVersionInfo> versions() {
                return java.util.List.of();
            }

            @Override
            public java.util.Optional<org.conpaas.api.model.CodeVersionInfo> active() {
                return java.util.Optional.empty();
            }

            @Override
            public java.nio.file.Path archive(String versionId) {
                throw new IllegalArgumentException("no code version " + versionId);
            }
        };
    }

    /** What the manager last published as the service's URL. */
    volatile String url;

    @Override
    public void publishUrl(String url) {
        this.url = url;
    }
}
