package org.conpaas.service.generic;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import org.conpaas.api.AgentException;
import org.conpaas.api.model.CodeVersionInfo;
import org.conpaas.api.service.AgentCalls;
import org.conpaas.api.service.CodeRepository;
import org.conpaas.api.service.ManagerState;
import org.conpaas.api.service.ServiceContext;
import org.conpaas.api.service.ServiceLog;
import org.conpaas.api.service.ServiceNode;

/** A director stand-in recording every agent call; nodes listed in {@link #running} report run.sh as RUNNING. */
final class FakeServiceContext implements ServiceContext, AgentCalls, ManagerState, ServiceLog, CodeRepository {

    record Call(String nodeId, String operation, Map<String, Object> params, Map<String, Path> files) {
    }

    final List<ServiceNode> nodes = new ArrayList<>();
    /** Synchronized: code pushes call from several threads. */
    final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
    /** Nodes whose update_code fails as an unreachable agent would. */
    final Set<String> failingUpdates = ConcurrentHashMap.newKeySet();
    /** Runs inside every update_code call, on the caller's thread (tests block here to see calls overlap). */
    volatile Consumer<String> duringUpdate = node -> { };
    final List<String> logLines = new ArrayList<>();
    final Set<String> running = new HashSet<>();
    String activeVersion = "code-default";
    private final Map<String, String> state = new TreeMap<>();

    static ServiceNode node(String id, String role) {
        return new ServiceNode(id, role, "127.1.0." + id.replaceAll("\\D", ""), 5555, "default", "local-" + id);
    }

    /** The calls of one operation, as "node:command" for execute_script and "node" otherwise. */
    List<String> calls(String operation) {
        List<String> selected = new ArrayList<>();
        for (Call call : List.copyOf(calls)) {
            if (call.operation().equals(operation)) {
                Object command = call.params().get("command");
                selected.add(call.nodeId() + (command == null ? "" : ":" + command));
            }
        }
        return selected;
    }

    @Override public long applicationId() { return 1; }
    @Override public int serviceId() { return 1; }
    @Override public String serviceName() { return "generic"; }
    @Override public String ownerId() { return "admin"; }
    @Override public List<ServiceNode> nodes() { return List.copyOf(nodes); }
    @Override public AgentCalls agents() { return this; }
    @Override public ManagerState state() { return this; }
    @Override public ServiceLog log() { return this; }
    @Override public ScheduledExecutorService scheduler() { return null; }
    @Override public CodeRepository code() { return this; }

    @Override
    public Object call(ServiceNode node, String operation, Map<String, Object> params, Map<String, Path> files) {
        calls.add(new Call(node.id(), operation, params, files));
        if (operation.equals("update_code")) {
            duringUpdate.accept(node.id());
            if (failingUpdates.contains(node.id())) {
                throw new AgentException(node.id(), "node " + node.id() + " could not be reached at "
                        + node.address() + ":" + node.port());
            }
        }
        if (operation.equals("get_script_status")) {
            Map<String, String> status = new LinkedHashMap<>();
            for (String script : List.of("init.sh", "notify.sh", "run.sh", "interrupt.sh", "cleanup.sh")) {
                status.put(script, script.equals("run.sh") && running.contains(node.id()) ? "RUNNING"
                        : "NEVER STARTED");
            }
            return status;
        }
        return Map.of();
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

    @Override
    public List<CodeVersionInfo> versions() {
        return activeVersion == null ? List.of()
                : List.of(new CodeVersionInfo(activeVersion, "code.tar", "", 10, Instant.EPOCH, true));
    }

    @Override
    public Optional<CodeVersionInfo> active() {
        return versions().stream().findFirst();
    }

    @Override
    public Path archive(String versionId) {
        return Path.of("/archives/" + versionId + ".tar");
    }

    /** What the manager last published as the service's URL. */
    volatile String url;

    @Override
    public void publishUrl(String url) {
        this.url = url;
    }
}
