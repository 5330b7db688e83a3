package org.conpaas.core.rest;

import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import javax.ws.rs.container.AsyncResponse;
import javax.ws.rs.core.Response;

import org.conpaas.api.director.Director;
import org.conpaas.api.model.ServiceInfo;

/**
 * Answers a long operation: 202 with the service's new state at once, or with {@code ?wait=<seconds>} 200 with
 * the state the service settled in (or reached when the wait ran out).
 * <p>
 * A waiting request holds no thread: the request is suspended ({@link AsyncResponse}, a servlet async context
 * under CXF) and resumed by whoever completes {@link Director#whenSettled}, normally the director's engine as it
 * settles the service. The director promises to complete the stage when the wait runs out; should a stage be lost
 * anyway (the director going away meanwhile), the response's own timeout, a little later, answers with the state
 * the service is in then, so no client waits for ever.
 */
final class LongOperations {

    /** How much later than the director's own timeout the response gives up on the director. */
    static final Duration GRACE = Duration.ofSeconds(10);

    private final Director director;

    LongOperations(Director director) {
        this.director = director;
    }

    /** Runs {@code operation} and answers it on {@code response}; a bad {@code rawWait} fails before anything. */
    void run(String user, String app, String rawWait, AsyncResponse response, Supplier<ServiceInfo> operation) {
        Integer wait = QueryValues.waitSeconds(rawWait); // validated before the operation starts anything
        ServiceInfo started = operation.get();
        if (wait == null) {
            response.resume(Response.accepted(started).build());
            return;
        }
        resumeWhenSettled(user, app, started, wait, response);
    }

    /** Resumes {@code response} with 200 and the service's state once it settled or {@code wait} seconds passed. */
    void resumeWhenSettled(String user, String app, ServiceInfo started, int wait, AsyncResponse response) {
        String svc = String.valueOf(started.id()); // the id survives a rename while we wait
        response.setTimeout(wait + GRACE.toSeconds(), TimeUnit.SECONDS);
        response.setTimeoutHandler(late -> {
            try {
                late.resume(Response.ok(director.service(user, app, svc)).build());
            } catch (RuntimeException e) {
                late.resume(e); // the service is gone, say: the usual problem document
            }
        });
        CompletionStage<ServiceInfo> settled = director.whenSettled(user, app, svc, Duration.ofSeconds(wait));
        settled.whenComplete((info, failure) -> {
            if (failure != null) {
                response.resume(failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure);
            } else {
                response.resume(Response.ok(info).build());
            }
        });
    }
}
