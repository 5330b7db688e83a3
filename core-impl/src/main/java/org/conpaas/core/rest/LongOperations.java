package org.conpaas.core.rest;

import java.time.Duration;
import java.util.function.Supplier;

import javax.ws.rs.core.Response;

import org.conpaas.api.director.Director;
import org.conpaas.api.model.ServiceInfo;

/**
 * Answers a long operation: 202 with the service's new state at once, or with {@code ?wait=<seconds>} 200 with
 * the state the service settled in (or reached when the wait ran out).
 */
final class LongOperations {

    private final Director director;

    LongOperations(Director director) {
        this.director = director;
    }

    Response run(String user, String app, String rawWait, Supplier<ServiceInfo> operation) {
        Integer wait = QueryValues.waitSeconds(rawWait); // validated before the operation starts anything
        ServiceInfo started = operation.get();
        if (wait == null) {
            return Response.accepted(started).build();
        }
        ServiceInfo settled = director.awaitSettled(user, app, String.valueOf(started.id()), Duration.ofSeconds(wait));
        return Response.ok(settled).build();
    }
}
