package org.conpaas.service.generic.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.conpaas.api.agent.NodeEnvironment;
import org.conpaas.api.agent.ProcessRunner;

/**
 * Starts and watches the five life-cycle scripts of a node. Each runs in its own process group through the agent's
 * {@link ProcessRunner}, with a clean environment, its output appended to {@code <logDir>/<script>.out}.
 * <p>
 * The runner only tells whether a process is alive, so a small bash wrapper writes the script's exit status to a
 * status file; the file holds {@value #STARTED} while the script runs. Killed scripts whose wrapper died too get
 * {@value #KILLED} (128 + SIGKILL).
 */
final class Scripts {

    static final List<String> NAMES = List.of("init", "notify", "run", "interrupt", "cleanup");
    static final String NEVER_STARTED = "NEVER STARTED";
    static final String RUNNING = "RUNNING";
    static final String STARTED = "started";
    static final String KILLED = "137";
    static final String PATH = "/usr/local/bin:/usr/bin:/bin";
    /** The scripts' own variables, and those that change how bash or the loader behave: never taken from others. */
    static final java.util.Set<String> OWN_VARIABLES = java.util.Set.of("PATH", "HOME", "MY_IP", "MY_ROLE",
            "MASTER_IP", "MEDIA_DIR", "ENV", "IFS", "PS4", "SHELLOPTS", "BASHOPTS", "CDPATH", "GLOBIGNORE");
    /**
     * $0 is the status file, $1 the script. TERM is trapped (not ignored, so the script still gets the default
     * action) so that the wrapper survives a TERM to the group long enough to record how the script ended.
     */
    private static final String WRAPPER = "status=\"$0\"; trap : TERM; bash \"$@\"; echo $? > \"$status\"";

    private final NodeEnvironment environment;
    private final Path statusDir;

    /** The application's other services' variables; never one of the names above. */
    private volatile Map<String, String> variables = Map.of();

    Scripts(NodeEnvironment environment) {
        this.environment = environment;
        this.statusDir = environment.cacheDir().resolve("generic-scripts");
    }

    /** The scripts' folder: the node's active code version. */
    Path bin() {
        return environment.codeDir();
    }

    /**
     * Starts {@code <bin>/<name>.sh} with the arguments; a missing script is noted in its log and ignored. An earlier
     * run of the same script still going (a notify overtaken by the next membership change) is stopped first.
     */
    void start(String name, List<String> arguments, AgentsFile agents, Duration grace) throws IOException {
        Path script = bin().resolve(name + ".sh");
        Path log = log(name);
        Files.createDirectories(log.getParent());
        if (!Files.isRegularFile(script)) {
            append(log, "=== " + Instant.now() + " " + name + ".sh is not in the code version; nothing to run\n");
            return;
        }
        if (isRunning(name)) {
            append(log, "=== " + Instant.now() + " stopping the previous " + name + ".sh\n");
            stop(name, grace);
        }
        Files.createDirectories(statusDir);
        Files.writeString(statusFile(name), STARTED, StandardCharsets.UTF_8);
        append(log, "=== " + Instant.now() + " starting " + name + ".sh " + String.join(" ", arguments) + "\n");

        List<String> command = new ArrayList<>(List.of("env", "-i",
                "PATH=" + PATH,
                "HOME=" + environment.workDir(),
                "MY_IP=" + environment.address(),
                "MY_ROLE=" + agents.roleOf(environment.nodeId(), environment.role()),
                "MASTER_IP=" + agents.masterIp(),
                // the original mounted volumes at /media/<name>; here they are below the node's own media folder
                "MEDIA_DIR=" + environment.mediaDir()));
        variables.forEach((key, value) -> command.add(key + "=" + value));
        command.addAll(List.of("bash", "-c", WRAPPER, statusFile(name).toString(), script.toString()));
        command.addAll(arguments);
        environment.processes().start(processName(name), command, environment.workDir(), Map.of(), log);
    }

    /**
     * Takes the variables the manager passed (names [A-Z][A-Z0-9_]{0,63} other than the scripts' own, values without
     * control characters); anything else is refused, so nothing can change PATH or HOME of the scripts.
     */
    void variables(Object value) {
        if (!(value instanceof Map<?, ?> map) || map.size() > 64) {
            throw new IllegalArgumentException("variables must be an object of at most 64 names");
        }
        Map<String, String> checked = new java.util.LinkedHashMap<>();
        map.forEach((k, v) -> {
            String name = String.valueOf(k);
            if (!name.matches("[A-Z][A-Z0-9_]{0,63}") || OWN_VARIABLES.contains(name)
                    || name.startsWith("BASH") || name.startsWith("LD_") || !(v instanceof String text)
                    || text.length() > 1024 || text.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("invalid variable " + name);
            }
            checked.put(name, text);
        });
        variables = Map.copyOf(checked);
    }

    boolean isRunning(String name) {
        Optional<ProcessRunner.ManagedProcess> process = environment.processes().find(processName(name));
        return process.isPresent() && process.get().isAlive();
    }

    boolean anyRunning() {
        return NAMES.stream().anyMatch(this::isRunning);
    }

    /** TERM to the script's process group, KILL after {@code grace}; a zero grace kills at once. */
    void stop(String name, Duration grace) throws IOException {
        if (environment.processes().find(processName(name)).isEmpty()) {
            return;
        }
        environment.processes().stop(processName(name), grace);
        Path status = statusFile(name);
        if (Files.exists(status) && STARTED.equals(Files.readString(status, StandardCharsets.UTF_8).trim())) {
            Files.writeString(status, KILLED, StandardCharsets.UTF_8);
        }
    }

    void stopAll(Duration grace) throws IOException {
        for (String name : NAMES) {
            stop(name, grace);
        }
    }

    /** {"init.sh": "NEVER STARTED" | "RUNNING" | "STOPPED (return code N)", ...} in the scripts' order. */
    Map<String, String> status() throws IOException {
        Map<String, String> status = new LinkedHashMap<>();
        for (String name : NAMES) {
            status.put(name + ".sh", status(name));
        }
        return status;
    }

    private String status(String name) throws IOException {
        if (isRunning(name)) {
            return RUNNING;
        }
        Path file = statusFile(name);
        if (!Files.exists(file)) {
            return NEVER_STARTED;
        }
        String code = Files.readString(file, StandardCharsets.UTF_8).trim();
        // "started" without a live process: the agent restarted under it; the real status is unknown.
        return "STOPPED (return code " + (code.matches("-?\\d+") ? code : "-1") + ")";
    }

    Path log(String name) {
        return environment.logDir().resolve(name + ".out");
    }

    private Path statusFile(String name) {
        return statusDir.resolve(name + ".status");
    }

    private static String processName(String name) {
        return "generic-" + name;
    }

    private static void append(Path log, String text) throws IOException {
        Files.writeString(log, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
