package org.conpaas.api;

import java.util.EnumSet;
import java.util.Set;

/** The life-cycle states of an application or a service (ConPaaS' manager states). */
public enum State {
    /** Created, never started. */
    INIT,
    /** Starting: nodes are being obtained and set up. */
    PROLOGUE,
    /** Started and stable. */
    RUNNING,
    /** Running, but changing (nodes added or removed, code activated). */
    ADAPTING,
    /** Stopping: nodes are being released. */
    EPILOGUE,
    /** Stopped; holds no nodes. */
    STOPPED,
    /** A start or a change failed; the reason is in the state history. */
    ERROR;

    /** States in which nothing is in flight. */
    public static final Set<State> SETTLED = EnumSet.of(INIT, RUNNING, STOPPED, ERROR);

    public boolean isSettled() {
        return SETTLED.contains(this);
    }
}
