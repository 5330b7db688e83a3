package org.conpaas.core.rest;

import java.util.ArrayList;
import java.util.List;
import org.apache.cxf.Bus;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * The director's elements on the OSGi HTTP Whiteboard: the REST API's servlet ({@link ApiServlet}), {@code /metrics}
 * ({@link RootMetricsServlet}) and the {@link MalformedRequestGuard} filter, registered together and, when Jetty
 * has restarted without them, registered again ({@link JettyChanges}). Pax Web's whiteboard puts every bundle's
 * elements into the restarted Jetty by itself; once, on CI, it put the console's back but none of the director's,
 * and the API answered 404 for good (docs/decisions.md "The API servlet on the whiteboard").
 */
public final class WhiteboardElements {

    private final BundleContext context;
    private final Bus bus;
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();

    WhiteboardElements(BundleContext context, Bus bus) {
        this.context = context;
        this.bus = bus;
    }

    synchronized void register() {
        registrations.add(ApiServlet.register(context, bus));
        registrations.add(RootMetricsServlet.register(context));
        registrations.add(MalformedRequestGuard.register(context));
    }

    synchronized void unregister() {
        for (ServiceRegistration<?> registration : registrations) {
            try {
                registration.unregister();
            } catch (IllegalStateException e) {
                // already gone with the bundle
            }
        }
        registrations.clear();
    }

    /** New services for the same elements: the whiteboard takes them as new and puts them into the running Jetty. */
    synchronized void registerAgain() {
        unregister();
        register();
    }
}
