package org.conpaas.agent.core.process;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** Signals a whole process group; the JDK can only signal single processes. */
public final class ProcessGroups {

    private ProcessGroups() {
    }

    /** Sends {@code signal} (e.g. TERM, KILL) to the group led by {@code pgid}; a group that is gone is ignored. */
    public static void signal(long pgid, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, "--", "-" + pgid)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!kill.waitFor(5, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run kill: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether any process of the group led by {@code pgid} is still alive. */
    public static boolean isAlive(long pgid) {
        try {
            Process probe = new ProcessBuilder("kill", "-0", "--", "-" + pgid)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return probe.waitFor(5, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run kill: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
