package org.conpaas.service.web.agent;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.conpaas.api.agent.NodeEnvironment;
import org.conpaas.api.agent.ProcessRunner;
import org.conpaas.api.agent.ProcessRunner.ManagedProcess;

/**
 * One server process of a node (nginx, php-fpm, memcached…) kept in the foreground under a fixed name of the agent's
 * {@link ProcessRunner}, so that the process id the runner knows is the server's master: signals go to it by PID.
 */
public final class Daemon {

    /** How long a started server may take to accept connections. */
    static final Duration READY_TIMEOUT = Duration.ofSeconds(15);
    /** How long a reload may take; php-fpm waits up to its process_control_timeout for busy workers. */
    static final Duration RELOAD_TIMEOUT = Duration.ofSeconds(30);
    /**
     * How long a reload waits for the workers of the old configuration to finish their requests and exit (nginx's
     * worker_shutdown_timeout is the same).
     */
    static final Duration RETIRE_TIMEOUT = Duration.ofSeconds(10);
    /** How long a graceful stop may take before the process group is killed. */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);

    private final NodeEnvironment environment;
    private final String name;
    private final Path logFile;
    /** Whether the server should run: started and not stopped since (a death then is a problem to report). */
    private volatile boolean wanted;

    public Daemon(NodeEnvironment environment, String name, Path logFile) {
        this.environment = environment;
        this.name = name;
        this.logFile = logFile;
    }

    public String name() {
        return name;
    }

    public boolean isRunning() {
        return process().map(ManagedProcess::isAlive).orElse(false);
    }

    public long pid() {
        return process().filter(ManagedProcess::isAlive).map(ManagedProcess::pid)
                .orElseThrow(() -> new IllegalStateException(name + " is not running"));
    }

    /**
     * Starts the server and waits until it accepts connections on {@code address:port}; a server that exits or
     * does not listen in time is stopped and reported with the end of its log.
     */
    public void start(List<String> command, Path workDir, String address, int port) {
        wanted = false;
        environment.processes().stop(name, Duration.ZERO); // a dead earlier instance must not block the name
        environment.processes().start(name, command, workDir, Map.of(), logFile);
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!isRunning()) {
                environment.processes().stop(name, Duration.ZERO);
                throw new IllegalStateException(name + " exited at start: " + tail());
            }
            if (accepts(address, port)) {
                wanted = true;
                return;
            }
            sleep(20);
        }
        environment.processes().stop(name, Duration.ZERO);
        throw new IllegalStateException(name + " did not listen on " + address + ":" + port + " within "
                + READY_TIMEOUT.toSeconds() + " s: " + tail());
    }

    /** Sends a signal (HUP, USR2, QUIT…) to the server's master process. */
    public void signal(String signal) {
        ProcessRunner.ProcessResult result = environment.processes().run(
                List.of("kill", "-" + signal, String.valueOf(pid())), null, Map.of(), Duration.ofSeconds(5));
        if (!result.succeeded()) {
            throw new IllegalStateException("cannot send " + signal + " to " + name + ": " + result.output().trim());
        }
    }

    /**
     * Sends a reload signal (nginx HUP, php-fpm USR2) and waits until the master runs a worker it did not run before
     * and, within {@link #RETIRE_TIMEOUT}, until the old workers have gone. Until an old worker has handled the signal
     * it still takes requests on the keep-alive connections it holds, with the old configuration: a caller that stops
     * an old upstream right after the reload would have those requests fail (502).
     */
    public void reload(String signal) {
        long pid = pid();
        java.util.Set<Long> before = workers(pid);
        signal(signal);
        long deadline = System.nanoTime() + RELOAD_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!isRunning()) {
                throw new IllegalStateException(name + " exited while reloading: " + tail());
            }
            if (workers(pid).stream().anyMatch(worker -> !before.contains(worker))) {
                awaitRetired(pid, before);
                return;
            }
            sleep(10);
        }
        throw new IllegalStateException(name + " did not start new workers within " + RELOAD_TIMEOUT.toSeconds()
                + " s of " + signal + ": " + tail());
    }

    /** Waits (bounded) until none of {@code old} is a worker any more; one still finishing a long request is left. */
    private static void awaitRetired(long pid, java.util.Set<Long> old) {
        long deadline = System.nanoTime() + RETIRE_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline && workers(pid).stream().anyMatch(old::contains)) {
            sleep(10);
        }
    }

    private static java.util.Set<Long> workers(long pid) {
        return ProcessHandle.of(pid).map(p -> p.children().map(ProcessHandle::pid)
                .collect(java.util.stream.Collectors.toSet())).orElse(java.util.Set.of());
    }

    /**
     * Asks the server to finish what it is doing and exit ({@code signal}, e.g. QUIT), waits for it, and kills
     * what is left of its process group afterwards. Nothing happens when it is not running.
     */
    public void stopGracefully(String signal) {
        wanted = false;
        if (isRunning()) {
            try {
                signal(signal);
            } catch (IllegalStateException exitedMeanwhile) {
                // it is gone already: the group is cleaned up below
            }
            long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
            while (isRunning() && System.nanoTime() < deadline) {
                sleep(20);
            }
        }
        environment.processes().stop(name, Duration.ofSeconds(1));
    }

    /** What is wrong: the server was started and has died since (for {@code AgentPlugin#problem}). */
    public Optional<String> problem() {
        return wanted && !isRunning() ? Optional.of(name + " is not running (it exited): " + tail()) : Optional.empty();
    }

    /** Several servers' problems in one sentence (an {@code AgentPlugin#problem} of a node that runs several). */
    @SafeVarargs
    public static Optional<String> problems(Optional<String>... each) {
        List<String> found = java.util.Arrays.stream(each).flatMap(Optional::stream).toList();
        return found.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", found));
    }

    private Optional<ManagedProcess> process() {
        return environment.processes().find(name);
    }

    /** The last lines of the server's output, for error messages. */
    String tail() {
        try {
            if (!Files.exists(logFile)) {
                return "(no output)";
            }
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size())).trim();
        } catch (IOException e) {
            return "(output unreadable: " + e.getMessage() + ")";
        }
    }

    static boolean accepts(String address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the server", e);
        }
    }
}
