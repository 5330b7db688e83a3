package org.conpaas.core.rest;

import javax.servlet.Filter;
import javax.servlet.Servlet;
import org.apache.cxf.Bus;
import org.apache.cxf.BusFactory;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * Publishes {@link ApiFallback}, the API's servlet ({@link ApiServlet}), {@code /metrics} ({@link
 * RootMetricsServlet}) and the {@link MalformedRequestGuard} filter when the director's bundle starts. A bundle activator rather than a DS component on
 * purpose: SCR activates the bundle's immediate components one after the other in one thread, in the order of the
 * Service-Component header, and building the persistence unit takes seconds; the activator runs before SCR looks at
 * the bundle at all, so requests get a clean 503 from the first moment the director's code is there.
 */
public final class CoreBundleActivator implements BundleActivator {
    private ApiFallback fallback;
    private ServiceRegistration<ApiFallback> registration;
    private ServiceRegistration<Servlet> servlet;
    private ServiceRegistration<Servlet> rootMetrics;
    private ServiceRegistration<Filter> guard;

    @Override
    public void start(BundleContext context) {
        Bus bus = BusFactory.getDefaultBus(true);
        fallback = new ApiFallback(bus);
        registration = context.registerService(ApiFallback.class, fallback, null);
        servlet = ApiServlet.register(context, bus);
        rootMetrics = RootMetricsServlet.register(context);
        guard = MalformedRequestGuard.register(context);
    }

    @Override
    public void stop(BundleContext context) {
        try {
            guard.unregister();
            rootMetrics.unregister();
            servlet.unregister();
            registration.unregister();
        } finally {
            fallback.close();
        }
    }
}
