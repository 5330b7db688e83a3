package org.conpaas.service.flink.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.conpaas.api.agent.AgentPlugin;
import org.conpaas.api.agent.NodeEnvironment;
import org.conpaas.api.service.ServiceType;
import org.conpaas.service.flink.FlinkLibrary;
import org.conpaas.service.flink.FlinkOperations;
import org.conpaas.service.flink.FlinkServiceType;
import org.conpaas.service.flink.FlinkSettings;
import org.conpaas.service.flink.agent.FlinkConfFiles.Kind;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The node side of the Flink service: Flink's lib/ in the node's cache, a JobManager (master) and a TaskManager
 * (every node) started from it, and the master's REST API asked on the manager's behalf. The processes outlive
 * the plug-in instance (the agent ends them when it stops); a new instance finds them by name.
 */
@Component(service = AgentPlugin.class, property = ServiceType.PROPERTY + "=" + FlinkServiceType.NAME)
public class FlinkAgentPlugin implements AgentPlugin {

    private final NodeEnvironment environment;
    private final FlinkLibCache cache;
    private final FlinkProcesses processes;
    private final FlinkRest rest;
    private final JobAdmin jobs;

    @Activate
    public FlinkAgentPlugin(@Reference NodeEnvironment environment) {
        this.environment = environment;
        this.cache = new FlinkLibCache(environment.cacheDir());
        this.processes = new FlinkProcesses(environment);
        this.rest = new FlinkRest(environment.address(), FlinkSettings.REST_PORT);
        this.jobs = new JobAdmin(rest);
    }

    @Override
    public Object invoke(String operation, Map<String, Object> params, Map<String, Path> files) throws Exception {
        return switch (operation) {
            case FlinkOperations.LIB_MISSING -> Map.of("missing",
                    cache.missing(version(params), FlinkLibrary.checkManifest(params.get(FlinkOperations.JARS))));
            case FlinkOperations.LIB_INSTALL -> {
                cache.install(version(params), FlinkLibrary.checkManifest(params.get(FlinkOperations.JARS)), files);
                yield Map.of();
            }
            case FlinkOperations.START_JOBMANAGER -> startJobManager(params);
            case FlinkOperations.START_TASKMANAGER -> {
                start(Kind.TASKMANAGER, params);
                yield Map.of();
            }
            case FlinkOperations.STOP_TASKMANAGER -> {
                processes.stop(Kind.TASKMANAGER);
                yield Map.of();
            }
            case FlinkOperations.AWAIT_TASKMANAGERS -> jobs.awaitTaskManagers(count(params, FlinkOperations.COUNT),
                    count(params, FlinkOperations.SLOTS), processes);
            case FlinkOperations.OVERVIEW -> jobs.overview();
            case FlinkOperations.JOBS -> Map.of("jobs", jobs.list());
            case FlinkOperations.SUBMIT -> jobs.submit(files.get(FlinkOperations.JAR), params);
            case FlinkOperations.CANCEL -> jobs.cancel(String.valueOf(params.get(FlinkOperations.JOB_ID)));
            default -> throw new IllegalArgumentException("unknown flink operation " + operation);
        };
    }

    /**
     * On the master, the cluster's task slots as its JobManager counts them: {@code slots_total} and
     * {@code slots_available} (free for new jobs). Nothing on worker nodes (the master speaks for the cluster) or
     * while the JobManager does not answer within a second.
     */
    @Override
    public Map<String, Double> metrics() {
        if (!processes.isRunning(Kind.JOBMANAGER)) {
            return Map.of();
        }
        try {
            Map<String, Object> overview = rest.overview(Duration.ofSeconds(1));
            if (overview.get("slots-total") instanceof Number total
                    && overview.get("slots-available") instanceof Number available) {
                return Map.of("slots_total", total.doubleValue(), "slots_available", available.doubleValue());
            }
        } catch (IOException e) {
            // not answering now: no figure this time
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Map.of();
    }

    private Map<String, Object> startJobManager(Map<String, Object> params) throws Exception {
        String checkpoints = start(Kind.JOBMANAGER, params);
        jobs.awaitRest(processes);
        return Map.of("checkpointDir", checkpoints);
    }

    /**
     * Writes the process's configuration and starts it; returns the checkpoint folder it was given (without one in
     * the settings, a folder of this node's: right for the master, whose JobManager writes the checkpoints).
     */
    private String start(Kind kind, Map<String, Object> params) throws IOException {
        Path lib = lib(params);
        Object given = params.get(FlinkOperations.SETTINGS);
        if (!(given instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("settings must be an object");
        }
        @SuppressWarnings("unchecked")
        FlinkSettings settings = FlinkSettings.fromParams((Map<String, Object>) given);
        String checkpoints = settings.checkpointDir();
        if (checkpoints.isEmpty()) {
            Path local = environment.workDir().resolve("flink").resolve("checkpoints");
            Files.createDirectories(local);
            checkpoints = local.toUri().toString();
        }
        Path processDir = environment.workDir().resolve("flink").resolve(kind.id);
        Map<String, String> conf = FlinkConfFiles.settings(kind, environment.address(), processDir, checkpoints,
                settings);
        processes.start(kind, lib, FlinkConfFiles.write(processDir, conf));
        return checkpoints;
    }

    /** The machine's shared lib/ when the manager names one, else this node's own cache. */
    private Path lib(Map<String, Object> params) {
        Object shared = params.get(FlinkOperations.LIB_DIR);
        Path lib = shared == null ? cache.lib(version(params)) : Path.of(String.valueOf(shared));
        if (!lib.isAbsolute() || !Files.isDirectory(lib)) {
            throw new IllegalStateException("Flink " + params.get(FlinkOperations.VERSION) + " is not on this node "
                    + "yet (no folder " + lib + ")");
        }
        return lib;
    }

    private static String version(Map<String, Object> params) {
        Object version = params.get(FlinkOperations.VERSION);
        if (!(version instanceof String v) || !FlinkLibrary.VERSION.matcher(v).matches()) {
            throw new IllegalArgumentException("version must be a Flink version such as 1.20.0, not " + version);
        }
        return v;
    }

    private static int count(Map<String, Object> params, String key) {
        Object count = params.get(key);
        if (!(count instanceof Number n) || n.intValue() < 0 || n.intValue() > 1_000_000) {
            throw new IllegalArgumentException(key + " must be from 0 to 1000000, not " + count);
        }
        return n.intValue();
    }

    static List<String> strings(Object value) {
        List<String> out = new ArrayList<>();
        if (value instanceof List<?> list) {
            list.forEach(v -> out.add(String.valueOf(v)));
        }
        return out;
    }
}
