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
}
