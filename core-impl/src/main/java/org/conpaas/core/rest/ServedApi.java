package org.conpaas.core.rest;

import java.time.Duration;
import java.util.Arrays;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.http.runtime.HttpServiceRuntime;
import org.osgi.service.http.runtime.dto.RuntimeDTO;
import org.osgi.service.http.runtime.dto.ServletContextDTO;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Whether Jetty serves the REST API's servlet ({@link ApiServlet}) at {@code /api/*}: read from Pax Web's {@link
 * HttpServiceRuntime}, which Pax Web registers anew each time it has (re)started Jetty. The whiteboard registers the
 * servlet in the new Jetty some moments after each start; {@link JettyChanges} restarts Jetty only while this says
 * the servlet is in place, never under a servlet still being set up.
 */
final class ServedApi implements AutoCloseable {

    private static final long POLL_MILLIS = 50;

    private final ServiceTracker<HttpServiceRuntime, HttpServiceRuntime> runtimes;

    ServedApi(BundleContext context) {
        runtimes = new ServiceTracker<>(context, HttpServiceRuntime.class, null);
        runtimes.open();
    }

    /** The service id of the runtime (of the Jetty start) that serves {@code /api/*} now, or -1. */
    long servingRuntime() {
        ServiceReference<HttpServiceRuntime> reference = runtimes.getServiceReference();
        HttpServiceRuntime runtime = reference == null ? null : runtimes.getService(reference);
        if (runtime == null) {
            return -1;
        }
        try {
            return serves(runtime.getRuntimeDTO()) ? (Long) reference.getProperty(Constants.SERVICE_ID) : -1;
        } catch (RuntimeException e) {
            return -1; // the runtime went away while we asked: Jetty is restarting
        }
    }

    static boolean serves(RuntimeDTO runtime) {
        ServletContextDTO[] contexts = runtime == null ? null : runtime.servletContextDTOs;
        return contexts != null && Arrays.stream(contexts)
                .filter(c -> c.servletDTOs != null)
                .flatMap(c -> Arrays.stream(c.servletDTOs))
                .anyMatch(s -> s.patterns != null && Arrays.asList(s.patterns).contains(ApiServlet.PATTERN));
    }

    /**
     * Waits until a runtime other than {@code notRuntime} serves the API (pass -1 for any); returns its id, or -1
     * after {@code timeout}.
     */
    long await(Duration timeout, long notRuntime) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long serving = servingRuntime();
            if (serving >= 0 && serving != notRuntime) {
                return serving;
            }
            if (System.nanoTime() > deadline) {
                return -1;
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    @Override
    public void close() {
        runtimes.close();
    }
}
