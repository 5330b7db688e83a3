package org.conpaas.service.testing;

import java.io.File;
import java.io.IOException;
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

/**
 * The agent's process runner in small, for tests of agent plug-ins with real binaries: every command runs under
 * {@code setsid}, so it leads its own process group, and stopping signals the whole group as the agent does.
 * Call {@link #stopAll()} in the test's clean-up.
 */
public final class LocalProcessRunner implements ProcessRunner {

    private final Map<String, Managed> processes = new ConcurrentHashMap<>();

    @Override
    public ProcessResult run(List<String> command, Path workDir, Map<String, String> env, Duration timeout) {
        try {
            Path output = Files.createTempFile("run-", ".out");
            try {
                Process process = builder(command, workDir, env).redirectOutput(output.toFile()).start();
                boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (!finished) {
                    signal(process.pid(), "KILL");
                    process.waitFor(5, TimeUnit.SECONDS);
                }
                return new ProcessResult(finished ? process.exitValue() : -1,
                        Files.readString(output, StandardCharsets.UTF_8), !finished);
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ProcessResult(-1, "", true);
        }
    }

    @Override
    public ManagedProcess start(String name, List<String> command, Path workDir, Map<String, String> env,
            Path logFile) {
        Managed existing = processes.get(name);
        if (existing != null && existing.isAlive()) {
            throw new IllegalStateException("process " + name + " is already running (pid " + existing.pid() + ")");
        }
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            Managed managed = new Managed(name, builder(command, workDir, env)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start());
            processes.put(name, managed);
            return managed;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command.get(0) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void stop(String name, Duration grace) {
        Managed managed = processes.remove(name);
        if (managed == null) {
            return;
        }
        signal(managed.pid(), "TERM");
        try {
            managed.process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        signal(managed.pid(), "KILL");
        try {
            managed.process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public Optional<ManagedProcess> find(String name) {
        return Optional.ofNullable(processes.get(name));
    }

    /** Test clean-up: kills whatever a test left running. */
    public void stopAll() {
        for (String name : new ArrayList<>(processes.keySet())) {
            stop(name, Duration.ZERO);
        }
    }

    private static ProcessBuilder builder(List<String> command, Path workDir, Map<String, String> env) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("the command is empty");
        }
        List<String> full = new ArrayList<>();
        full.add("setsid");
        full.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        if (workDir != null) {
            builder.directory(workDir.toFile());
        }
        if (env != null) {
            builder.environment().putAll(env);
        }
        return builder;
    }

    private static void signal(long pgid, String signal) {
        try {
            new ProcessBuilder("kill", "-" + signal, "--", "-" + pgid).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Managed(String name, Process process) implements ManagedProcess {
        @Override
        public long pid() {
            return process.pid();
        }

        @Override
        public boolean isAlive() {
            return process.isAlive();
        }
    }
}
