package org.conpaas.core.rest;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import javax.servlet.Servlet;
import org.apache.cxf.Bus;
import org.apache.cxf.BusException;
import org.apache.cxf.transport.DestinationFactory;
import org.apache.cxf.transport.DestinationFactoryManager;
import org.apache.cxf.transport.http.DestinationRegistry;
import org.apache.cxf.transport.http.HTTPTransportFactory;
import org.apache.cxf.transport.servlet.CXFNonSpringServlet;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;

/**
 * The REST API's way in: a CXF servlet over the director's bus, at {@code /api/*}, registered on the OSGi HTTP
 * Whiteboard, which Pax Web keeps across its Jetty restarts. CXF's own OSGi transport, which registered its servlet
 * through the HttpService, is switched off ({@code org.apache.cxf.osgi.http.transport.disable} in
 * {@code etc/system.properties}): it tracks one HttpService at a time, and when a Jetty restart at a first start
 * (the HTTPS settings) overlapped its registration, now and then it unregistered its own new servlet and the API was
 * never served (docs/decisions.md "The API servlet on the whiteboard").
 */
final class ApiServlet {

    static final String PATTERN = "/api/*";
    /** The transport id under which CXF's servlet itself looks up the HTTP transport. */
    private static final String HTTP_TRANSPORT = "http://cxf.apache.org/transports/http/configuration";

    private ApiServlet() {
    }

    /**
     * The servlet's init parameters: no service list page, which would tell anyone every endpoint's address (and
     * would answer any path ending in /services instead of our endpoint); addresses as published.
     */
    static final Map<String, String> INIT_PARAMETERS = Map.of(
            "hide-service-list-page", "true",
            "disable-address-updates", "true");

    static ServiceRegistration<Servlet> register(BundleContext context, Bus bus) {
        Dictionary<String, Object> properties = whiteboard(PATTERN, "conpaas-api");
        // ?wait=N suspends the request until the operation ends
        properties.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_ASYNC_SUPPORTED, true);
        INIT_PARAMETERS.forEach((name, value) -> properties.put(
                HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_INIT_PARAM_PREFIX + name, value));
        return context.registerService(Servlet.class, servlet(bus), properties);
    }

    /** The service properties of a servlet of the director's on the HTTP Whiteboard. */
    static Dictionary<String, Object> whiteboard(String pattern, String name) {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN, pattern);
        properties.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME, name);
        return properties;
    }

    /** The servlet over the endpoints of {@code bus}, which it never shuts down. */
    static Servlet servlet(Bus bus) {
        giveClassLoader(bus);
        return new OnSharedBus(registry(bus), bus);
    }

    /**
     * CXF's servlet makes the bus's class loader the thread's context class loader for each request. A bus without
     * one (the default bus has none) has it looked up by its resource manager on every request, which searches the
     * JVM's class path and bundles for a resource named "" and finds no class loader after all: about a tenth of a
     * request's CPU. The director's bundle defines the endpoints, so its class loader is the one (as a blueprint bus
     * gets its bundle's).
     */
    private static void giveClassLoader(Bus bus) {
        if (bus.getExtension(ClassLoader.class) == null) {
            bus.setExtension(ApiServlet.class.getClassLoader(), ClassLoader.class);
        }
    }

    /** Where the bus's HTTP transport keeps the endpoints that RestServers and ApiFallback publish. */
    private static DestinationRegistry registry(Bus bus) {
        try {
            DestinationFactory factory = bus.getExtension(DestinationFactoryManager.class)
                    .getDestinationFactory(HTTP_TRANSPORT);
            return ((HTTPTransportFactory) factory).getRegistry();
        } catch (BusException | ClassCastException e) {
            throw new IllegalStateException("CXF's HTTP transport is missing from the director's bus", e);
        }
    }

    /**
     * A CXF servlet that leaves the bus and its endpoints alone when it is destroyed. Pax Web destroys and inits the
     * same servlet at each Jetty restart; CXF's own would shut the bus down (and, given no registry, remove every
     * endpoint) each time.
     */
    private static final class OnSharedBus extends CXFNonSpringServlet {
        private static final long serialVersionUID = 1L;

        OnSharedBus(DestinationRegistry registry, Bus bus) {
            super(registry, bus);
        }

        @Override
        public void destroyBus() {
            // the director's bus outlives the servlet
        }
    }
}
