package org.conpaas.service.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BiFunction;
import org.conpaas.api.AgentException;
import org.conpaas.api.NotFoundException;
import org.conpaas.api.model.CodeVersionInfo;
import org.conpaas.api.service.AgentCalls;
import org.conpaas.api.service.CodeRepository;
import org.conpaas.api.service.ManagerState;
import org.conpaas.api.service.ServiceContext;
import org.conpaas.api.service.ServiceLog;
import org.conpaas.api.service.ServiceNode;

/**
 * A director stand-in for unit tests of service managers: it records every agent call in order, answers them through
 * a replaceable {@link #answers} function (empty maps by default), keeps the manager state in memory and holds the
 * code versions the test adds. Not thread-safe: managers are driven by one test thread.
 */
public final class FakeServiceContext implements ServiceContext, AgentCalls, ManagerState, ServiceLog, CodeRepository {

    /** One agent call as the manager made it. */
    public record Call(String nodeId, String operation, Map<String, Object> params, Map<String, Path> files) {
    }

    /** The service's nodes; tests add and remove nodes as the director would. */
    public final List<ServiceNode> nodes = new ArrayList<>();
    /** The service's FAILED nodes; tests move nodes here from {@link #nodes} as the director would. */
    public final List<ServiceNode> failed = new ArrayList<>();
    /** Synchronized: managers may call agents from several threads (parallel code pushes). */
    public final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
    public final List<String> logLines = new ArrayList<>();
    /** Answers agent calls: (node, call) → result; the default answers an empty map. */
    public BiFunction<ServiceNode, Call, Object> answers = (node, call) -> Map.of();
    /** When set, the folder every node's machine shares ({@link #shareOnHost}); null: nodes have machines of their own. */
    public Path hostShare;
    private final Map<String, String> state = new TreeMap<>();
    private final Map<String, Path> archives = new LinkedHashMap<>();
    private String activeVersion;
    private String url;

    /** As the director: copies the files once into {@link #hostShare}{@code /name} and answers that folder. */
    @Override
    public Optional<String> shareOnHost(ServiceNode node, String name, Map<String, Path> files) {
        if (hostShare == null) {
            return Optional.empty();
        }
        Path folder = hostShare.resolve(name);
        try {
            if (!Files.isDirectory(folder)) {
                Files.createDirectories(folder);
                for (Map.Entry<String, Path> file : files.entrySet()) {
                    Files.copy(file.getValue(), folder.resolve(file.getKey()));
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return Optional.of(folder.toString());
    }

    /** A node with an address derived from its number: node-7 is 127.1.0.7. */
    public static ServiceNode node(String id, String role) {
        return new ServiceNode(id, role, "127.1.0." + id.replaceAll("\\D", ""), 5555, "default", "local-" + id);
    }

    /** Adds a code version (newest first in {@link #versions()}); the first one added becomes active. */
    public FakeServiceContext addVersion(String id, Path archive) {
        archives.put(id, archive);
        if (activeVersion == null) {
            activeVersion = id;
        }
        return this;
    }

    public void activate(String id) {
        if (!archives.containsKey(id)) {
            throw new IllegalArgumentException("no code version " + id);
        }
        activeVersion = id;
    }

    /** No version is active any more (as for a type without default code). */
    public void deactivate() {
        activeVersion = null;
    }

    /** The calls of one operation, as node ids in call order. */
    public List<String> callsOf(String operation) {
        return List.copyOf(calls).stream().filter(c -> c.operation().equals(operation)).map(Call::nodeId).toList();
    }

    /** Every call as "node:operation", in order. */
    public List<String> callSequence() {
        return List.copyOf(calls).stream().map(c -> c.nodeId() + ":" + c.operation()).toList();
    }

    /** The last call of an operation to a node, if any. */
    public Optional<Call> lastCall(String nodeId, String operation) {
        for (int i = calls.size() - 1; i >= 0; i--) {
            Call call = calls.get(i);
            if (call.nodeId().equals(nodeId) && call.operation().equals(operation)) {
                return Optional.of(call);
            }
        }
        return Optional.empty();
    }

    /** What the manager last published as the service's URL (null when cleared or never set). */
    public String url() {
        return url;
    }

    @Override public long applicationId() { return 1; }
    @Override public int serviceId() { return 1; }
    @Override public String serviceName() { return "test-service"; }
    @Override public String ownerId() { return "admin"; }
    @Override public List<ServiceNode> nodes() { return List.copyOf(nodes); }
    @Override public List<ServiceNode> failedNodes() { return List.copyOf(failed); }
    @Override public AgentCalls agents() { return this; }
    @Override public ManagerState state() { return this; }
    @Override public ServiceLog log() { return this; }
    @Override public ScheduledExecutorService scheduler() { return null; }
    @Override public CodeRepository code() { return this; }
    @Override public void publishUrl(String url) { this.url = url; }
    /** What the manager published last with {@link #publishVariables}. */
    public volatile Map<String, String> published = Map.of();
    /** What {@link #applicationVariables} answers: the application's other services' variables. */
    public volatile Map<String, String> applicationVariables = Map.of();
    @Override public void publishVariables(Map<String, String> variables) { this.published = Map.copyOf(variables); }
    @Override public Map<String, String> applicationVariables() { return applicationVariables; }

    @Override
    public Object call(ServiceNode node, String operation, Map<String, Object> params, Map<String, Path> files)
            throws AgentException {
        Call call = new Call(node.id(), operation, params == null ? Map.of() : params, files == null ? Map.of() : files);
        calls.add(call);
        return answers.apply(node, call);
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
        List<CodeVersionInfo> versions = new ArrayList<>();
        archives.forEach((id, path) -> versions.add(0, new CodeVersionInfo(id, path.getFileName().toString(), "",
                0, Instant.EPOCH, id.equals(activeVersion))));
        return versions;
    }

    @Override
    public Optional<CodeVersionInfo> active() {
        return versions().stream().filter(CodeVersionInfo::active).findFirst();
    }

    @Override
    public Path archive(String versionId) {
        Path archive = archives.get(versionId);
        if (archive == null) {
            throw new NotFoundException("code version " + versionId + " not found");
        }
        return archive;
    }
}
