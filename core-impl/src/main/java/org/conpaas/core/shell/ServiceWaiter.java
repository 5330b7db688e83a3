package org.conpaas.core.shell;

import java.io.PrintStream;
import java.time.Duration;

import org.conpaas.api.State;
import org.conpaas.api.director.Director;
import org.conpaas.api.model.ServiceInfo;

/**
 * Polls a service until its state settles, printing each change on one line:
 * {@code service 1 'web': PROLOGUE ... RUNNING}. Bounded by a timeout; Ctrl-C stops waiting, not the operation.
 */
final class ServiceWaiter {

    static final long POLL_MILLIS = 200;

    private final Director director;
    private final PrintStream out;
    private final PrintStream err;

    ServiceWaiter(Director director, PrintStream out, PrintStream err) {
        this.director = director;
        this.out = out;
        this.err = err;
    }

    static String label(ServiceInfo service) {
        return "service " + service.id() + " '" + service.name() + "'";
    }

    ServiceInfo await(String user, String app, ServiceInfo started, Duration timeout) {
        String svc = String.valueOf(started.id()); // the id survives a rename while we wait
        out.print(label(started) + ": " + started.state());
        out.flush();
        ServiceInfo current = started;
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (!current.state().isSettled() && System.nanoTime() < deadline) {
                Thread.sleep(POLL_MILLIS);
                ServiceInfo next = director.service(user, app, svc);
                if (next.state() != current.state()) {
                    out.print(" ... " + next.state());
                    out.flush();
                }
                current = next;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.println();
            err.println("Stopped waiting; " + label(current) + " is " + current.state()
                    + " and the operation goes on in the background.");
            return current;
        }
        out.println();
        if (!current.state().isSettled()) {
            err.println("Still " + current.state() + " after " + timeout.toSeconds() + " s; the operation goes on"
                    + " in the background (see cps:service-state).");
        } else if (current.state() == State.ERROR) {
            err.println(label(current) + " failed" + (current.stateReason() == null ? "."
                    : ": " + current.stateReason()));
        }
        return current;
    }
}
