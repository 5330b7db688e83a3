package org.conpaas.agent.launcher;

import java.util.logging.LogManager;

/**
 * The JDK resets (closes) every log handler from its own shutdown hook, racing the agent's orderly stop on SIGTERM;
 * this manager ignores that reset so the stop messages still reach agent.log.
 */
public final class AgentLogManager extends LogManager {

    @Override
    public void reset() {
        // ignored on purpose: see the class comment; the launcher calls resetNow() when it really means it
    }

    void resetNow() {
        super.reset();
    }
}
