package org.conpaas.core.rest;

import org.apache.cxf.Bus;
import org.apache.cxf.BusFactory;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * Publishes {@link ApiFallback} and the director's whiteboard elements ({@link WhiteboardElements}: the API's
 * servlet, {@code /metrics} and the malformed-request guard) when the director's bundle starts. A bundle activator
 * rather than a DS component on purpose: SCR activates the bundle's immediate components one after the other in one
 * thread, in the order of the Service-Component header, and building the persistence unit takes seconds; the
 * activator runs before SCR looks at the bundle at all, so requests get a clean 503 from the first moment the
 * director's code is there.
 */
public final class CoreBundleActivator implements BundleActivator {
    private ApiFallback fallback;
    private WhiteboardElements elements;
    private ServiceRegistration<ApiFallback> fallbackRegistration;
    private ServiceRegistration<WhiteboardElements> elementsRegistration;

    @Override
    public void start(BundleContext context) {
        Bus bus = BusFactory.getDefaultBus(true);
        fallback = new ApiFallback(bus);
        fallbackRegistration = context.registerService(ApiFallback.class, fallback, null);
        elements = new WhiteboardElements(context, bus);
        elements.register();
        // for JettyChanges, which registers them again when a restarted Jetty came up without them
        elementsRegistration = context.registerService(WhiteboardElements.class, elements, null);
    }

    @Override
    public void stop(BundleContext context) {
        try {
            elementsRegistration.unregister();
            elements.unregister();
            fallbackRegistration.unregister();
        } finally {
            fallback.close();
        }
    }
}
