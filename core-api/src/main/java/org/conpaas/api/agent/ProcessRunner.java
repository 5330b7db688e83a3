package org.conpaas.api.agent;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Runs commands and long-lived processes, each in its own process group so that stopping ends all of it. */
public interface ProcessRunner {

    /** Runs a command to completion; kills its process group at the timeout. */
    ProcessResult run(List<String> command, Path workDir, Map<String, String> env, Duration timeout);

    /** Starts a long-lived process under a name, output appended to {@code logFile}. */
    ManagedProcess start(String name, List<String> command, Path workDir, Map<String, String> env, Path logFile);

    /** Stops the named process group: TERM, then KILL after {@code grace}. Nothing happens if it is not running. */
    void stop(String name, Duration grace);

    Optional<ManagedProcess> find(String name);

    /** A running long-lived process. */
    interface ManagedProcess {
        String name();

        long pid();

        boolean isAlive();
    }

    /** The outcome of {@link #run}. */
    record ProcessResult(int exitCode, String output, boolean timedOut) {
        public boolean succeeded() {
            return !timedOut && exitCode == 0;
        }
    }
}
