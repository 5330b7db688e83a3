package org.conpaas.core.rest;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.PreMatching;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.Response;
import org.apache.cxf.Bus;
import org.apache.cxf.endpoint.Server;
import org.apache.cxf.jaxrs.JAXRSServerFactoryBean;

/**
 * Answers, on the CXF servlet ({@code /api}), every request that no published endpoint takes: 503 with Retry-After
 * while the director's API is not published yet (boot, or a restart of the director's components), 404 after. Both
 * as problem+json. Without it the CXF servlet, which is up seconds before the director, logs a WARN "Can't find the
 * request for ...'s Observer" for each such request (every poll of {@code /version} during boot) and answers an
 * empty 404. It is published at the root address: CXF routes a request to the endpoint with the longest matching
 * address, so the API's own endpoints ({@code /v1}, {@code /openapi.json}) take theirs once they are published.
 * Published by {@link CoreBundleActivator}, before any of the director's components, and offered as a service to
 * {@link RestPublisher}.
 */
public final class ApiFallback {
    static final String ADDRESS = "/";

    private final AtomicBoolean published = new AtomicBoolean();
    private final Server server;

    ApiFallback(Bus bus) {
        this.server = publish(bus, published::get);
    }

    /** Called by {@link RestPublisher} as the API comes and goes. */
    void apiPublished(boolean isPublished) {
        published.set(isPublished);
    }

    void close() {
        server.destroy();
    }

    static Server publish(Bus bus, BooleanSupplier apiPublished) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // CXF looks up its extensions through the thread's context class loader; in OSGi that must be CXF's own.
        thread.setContextClassLoader(JAXRSServerFactoryBean.class.getClassLoader());
        try {
            JAXRSServerFactoryBean factory = new JAXRSServerFactoryBean();
            factory.setBus(bus);
            factory.setAddress(ADDRESS);
            factory.setServiceBeans(List.of(new Nothing()));
            factory.setProviders(List.of(RestJson.provider(RestJson.mapper()), new Answer(apiPublished)));
            return factory.create();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** Answers every request before resource matching, whatever its method and path. */
    @PreMatching
    static final class Answer implements ContainerRequestFilter {
        private final BooleanSupplier apiPublished;

        Answer(BooleanSupplier apiPublished) {
            this.apiPublished = apiPublished;
        }

        @Override
        public void filter(ContainerRequestContext request) {
            if (apiPublished.getAsBoolean()) {
                request.abortWith(Problems.response(404, "no such resource; the API is at /api/v1/"));
            } else {
                request.abortWith(Response.fromResponse(Problems.response(503, "the director is starting"))
                        .header(HttpHeaders.RETRY_AFTER, "1").build());
            }
        }
    }

    /** CXF needs a resource class to publish an endpoint; the filter answers before any is matched. */
    @Path("/")
    public static final class Nothing {
        @GET
        public Response nothing() {
            return Response.status(404).build();
        }
    }
}
