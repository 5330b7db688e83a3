package org.conpaas.agent.core.process;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.conpaas.api.agent.ProcessRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every command under {@code setsid}, so each one leads its own process group (pgid = pid): stopping or timing
 * out signals the whole group, which also ends the children a service forks (workers, shells, daemons).
 */
public final class SetsidProcessRunner implements ProcessRunner {

    private static final Logger LOG = LoggerFactory.getLogger(SetsidProcessRunner.class);
    /** run() keeps at most this much output in memory; the rest is dropped with a marker. */
    static final int MAX_CAPTURED_BYTES = 1 << 20;

    private final Map<String, RunningProcess> processes = new ConcurrentHashMap<>();

    @Override
    public ProcessResult run(List<String> command, Path workDir, Map<String, String> env, Duration timeout) {
        Process process = launch(command, workDir, env, null);
        OutputCollector output = new OutputCollector(process.getInputStream());
        output.start();
        try {
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                LOG.warn("command {} timed out after {}; killing its process group", command, timeout);
                ProcessGroups.signal(process.pid(), "KILL");
                process.waitFor(5, TimeUnit.SECONDS);
            }
            output.join(2_000);
            return new ProcessResult(finished ? process.exitValue() : -1, output.text(), !finished);
        } catch (InterruptedException e) {
            ProcessGroups.signal(process.pid(), "KILL");
            Thread.currentThread().interrupt();
            return new ProcessResult(-1, output.text(), true);
        }
    }

    @Override
    public ManagedProcess start(String name, List<String> command, Path workDir, Map<String, String> env,
            Path logFile) {
        RunningProcess existing = processes.get(name);
        if (existing != null && existing.isAlive()) {
            throw new IllegalStateException("process " + name + " is already running (pid " + existing.pid() + ")");
        }
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the log folder of " + logFile, e);
        }
        Process process = launch(command, workDir, env, logFile);
        RunningProcess running = new RunningProcess(name, process);
        processes.put(name, running);
        LOG.info("started {} (pid {}): {}", name, process.pid(), command);
        return running;
    }

    @Override
    public void stop(String name, Duration grace) {
        RunningProcess running = processes.remove(name);
        if (running == null) {
            return;
        }
        long pid = running.pid();
        ProcessGroups.signal(pid, "TERM");
        try {
            if (!running.process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("{} (pid {}) ignored TERM for {}; killing its group", name, pid, grace);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // KILL the group even when the leader exited: children that ignored TERM must not outlive the stop
        ProcessGroups.signal(pid, "KILL");
        LOG.info("stopped {} (pid {})", name, pid);
    }

    @Override
    public Optional<ManagedProcess> find(String name) {
        return Optional.ofNullable(processes.get(name));
    }

    /** Stops every process started through {@link #start}; the agent calls this when it shuts down. */
    public void stopAll(Duration grace) {
        for (String name : new ArrayList<>(processes.keySet())) {
            stop(name, grace);
        }
    }

    private static Process launch(List<String> command, Path workDir, Map<String, String> env, Path logFile) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("the command is empty");
        }
        List<String> full = new ArrayList<>(command.size() + 1);
        full.add("setsid");
        full.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        if (workDir != null) {
            builder.directory(workDir.toFile());
        }
        if (env != null) {
            builder.environment().putAll(env);
        }
        if (logFile != null) {
            builder.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        }
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command.get(0) + ": " + e.getMessage(), e);
        }
    }

    /** A long-lived process started under a name. */
    private static final class RunningProcess implements ManagedProcess {
        private final String name;
        private final Process process;

        RunningProcess(String name, Process process) {
            this.name = name;
            this.process = process;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public long pid() {
            return process.pid();
        }

        @Override
        public boolean isAlive() {
            return process.isAlive();
        }
    }

    /** Drains a command's output on its own thread so a chatty command never blocks on a full pipe. */
    private static final class OutputCollector extends Thread {
        private final InputStream in;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private boolean truncated;

        OutputCollector(InputStream in) {
            super("process-output");
            setDaemon(true);
            this.in = in;
        }

        @Override
        public void run() {
            byte[] buffer = new byte[8192];
            try (in) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    synchronized (this) {
                        int room = MAX_CAPTURED_BYTES - kept.size();
                        kept.write(buffer, 0, Math.max(0, Math.min(room, n)));
                        truncated |= n > room;
                    }
                }
            } catch (IOException e) {
                // the process was killed and the pipe closed: keep what was read
            }
        }

        synchronized String text() {
            String text = kept.toString(StandardCharsets.UTF_8);
            return truncated ? text + "\n[output truncated]\n" : text;
        }
    }
}
