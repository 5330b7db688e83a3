package org.conpaas.api;

import java.util.Set;
import java.util.TreeSet;

/** An action is not allowed in the object's current state (HTTP 409); says the current and the allowed states. */
public class WrongStateException extends ConflictException {
    private static final long serialVersionUID = 1L;
    private final State current;
    private final Set<State> allowed;

    public WrongStateException(String action, State current, Set<State> allowed) {
        super("cannot " + action + " in state " + current + "; allowed in " + new TreeSet<>(allowed));
        this.current = current;
        this.allowed = Set.copyOf(allowed);
    }

    public State current() {
        return current;
    }

    public Set<State> allowed() {
        return allowed;
    }
}
