package org.conpaas.core.shell;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.support.CommandException;
import org.conpaas.api.model.ServiceInfo;

/** A long operation: by default waits for the service to settle, printing each state change. */
public abstract class CpsWaitingAction extends CpsServiceAction {

    @Option(name = "--no-wait", description = "Return at once instead of waiting for the service to settle")
    boolean noWait;

    @Option(name = "--timeout", description = "How many seconds to wait at most (default 300)")
    int timeoutSeconds = 300;

    Object report(String user, ServiceInfo started) {
        follow(user, started);
        return null;
    }

    /**
     * Follows a change that leaves the service RUNNING even when it fails (volumes): once settled, {@code happened}
     * tells whether it worked; if not, the service's state reason is the one-sentence failure.
     */
    void followChange(String user, ServiceInfo started, BooleanSupplier happened) throws CommandException {
        ServiceInfo settled = follow(user, started);
        if (settled != null && settled.state().isSettled()) {
            if (!happened.getAsBoolean()) {
                throw failure(Sentences.capitalized(settled.stateReason()));
            }
            out().println("done.");
        }
    }

    /** Prints the state changes until the service settles; returns its last state, or null with --no-wait. */
    ServiceInfo follow(String user, ServiceInfo started) {
        if (noWait) {
            out().println(ServiceWaiter.label(started) + ": " + started.state());
            return null;
        }
        return new ServiceWaiter(director, out(), err()).await(user, app, started,
                Duration.ofSeconds(Math.max(0, timeoutSeconds)));
    }
}
