package org.conpaas.core.rest;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * Publishes {@link ApiFallback} when the director's bundle starts. A bundle activator rather than a DS component on
 * purpose: SCR activates the bundle's immediate components one after the other in one thread, in the order of the
 * Service-Component header, and building the persistence unit takes seconds; the activator runs before SCR looks at
 * the bundle at all, so requests get a clean 503 from the first moment the director's code is there.
 */
public final class CoreBundleActivator implements BundleActivator {
    private ApiFallback fallback;
    private ServiceRegistration<ApiFallback> registration;

    @Override
    public void start(BundleContext context) {
        fallback = new ApiFallback();
        registration = context.registerService(ApiFallback.class, fallback, null);
    }

    @Override
    public void stop(BundleContext context) {
        try {
            registration.unregister();
        } finally {
            fallback.close();
        }
    }
}
