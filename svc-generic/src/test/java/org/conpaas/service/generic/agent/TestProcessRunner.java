package org.conpaas.service.generic.agent;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.conpaas.api.agent.ProcessRunner;

/** The agent's runner in small (the agent core is not importable here): setsid, so every process leads its group. */
final class TestProcessRunner implements ProcessRunner {

    private final Map<String, Managed> processes = new ConcurrentHashMap<>();

    @Override
    public ProcessResult run(List<String> command, Path workDir, Map<String, String> env, Duration timeout) {
        throw new UnsupportedOperationException("the generic plug-in only starts processes");
    }

    @Override
    public ManagedProcess start(String name, List<String> command, Path workDir, Map<String, String> env,
            Path logFile) {
        Managed existing = processes.get(name);
        if (existing != null && existing.isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        List<String> full = new ArrayList<>();
        full.add("setsid");
        full.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(full).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        builder.environment().putAll(env);
        try {
            Managed managed = new Managed(name, builder.start());
            processes.put(name, managed);
            return managed;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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

    /** Test clean-up: whatever a failing test left running. */
    void stopAll() {
        for (String name : new ArrayList<>(processes.keySet())) {
            stop(name, Duration.ZERO);
        }
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
