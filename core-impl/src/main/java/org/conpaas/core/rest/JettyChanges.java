package org.conpaas.core.rest;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.conpaas.core.internal.security.CertificateAuthority;
import org.conpaas.core.internal.security.HttpsConfig;
import org.conpaas.core.internal.security.HttpsStatus;
import org.conpaas.core.internal.security.PaxWebHttps;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The director's change to Jetty that makes Pax Web restart it: the HTTPS settings ({@link PaxWebHttps}, at a first
 * start and whenever {@code etc/org.conpaas.https.cfg} changes). Changes run one at a time on one thread, each only
 * once Jetty serves the REST API's servlet ({@link ServedApi}), each waiting until the restarted Jetty serves it
 * again: made at once from the components' activation, as before, restarts overlapped each other and the servlet's
 * registration, and now and then a first start never served {@code /api} (docs/decisions.md "Jetty restarts one at
 * a time"). A restarted Jetty that does not serve the API after {@link #PATIENCE} gets the director's whiteboard
 * elements registered again ({@link WhiteboardElements}).
 */
@Component(immediate = true, configurationPid = "org.conpaas.https", service = HttpsStatus.class)
public final class JettyChanges implements HttpsStatus {

    private static final Logger LOG = LoggerFactory.getLogger(JettyChanges.class);
    /** The longest wait for Jetty to serve the API before or after a change; past it the change goes on anyway. */
    static final Duration SETTLE = Duration.ofSeconds(60);
    /**
     * How long a restarted Jetty may take to serve the API again before the director registers its servlets anew; a
     * first start's restart takes about a second here.
     */
    static final Duration PATIENCE = Duration.ofSeconds(15);

    private final PaxWebHttps https;
    /** Why HTTPS is off, as the last change of the settings found; null while it is on or not applied yet. */
    private volatile String offReason;
    private final ServedApi api;
    private final WhiteboardElements elements;
    private final ExecutorService changes = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "conpaas-jetty-changes");
        thread.setDaemon(true);
        return thread;
    });

    @Activate
    public JettyChanges(@Reference CertificateAuthority ca, @Reference ConfigurationAdmin configurations,
            @Reference WhiteboardElements elements, BundleContext context, HttpsConfig config) {
        this.https = new PaxWebHttps(ca, configurations);
        this.api = new ServedApi(context);
        this.elements = elements;
        changes.execute(() -> applyHttps(config));
    }

    /** A changed {@code org.conpaas.https} is written through to pax-web as at activation, after what is queued. */
    @Modified
    void modified(HttpsConfig config) {
        changes.execute(() -> applyHttps(config));
    }

    private void applyHttps(HttpsConfig config) {
        restarting("the HTTPS settings", () -> {
            PaxWebHttps.Outcome outcome = https.configure(config);
            offReason = outcome.offReason();
            return outcome.restarts();
        });
    }

    @Override
    public Optional<String> offReason() {
        return Optional.ofNullable(offReason);
    }

    /** A change that may restart Jetty: made once the API is served, then waited for until it is served anew. */
    private void restarting(String what, Change change) {
        try {
            long before = api.await(SETTLE, -1);
            if (before < 0) {
                LOG.warn("Jetty does not serve {} after {} s; applying {} anyway", ApiServlet.PATTERN,
                        SETTLE.toSeconds(), what);
            }
            if (change.apply()) {
                awaitServedAgain(api::await, elements::registerAgain, before, what);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("cannot apply {} to Jetty", what, e);
        }
    }

    /**
     * Waits until a Jetty other than runtime {@code before} serves the API; past {@link #PATIENCE}, registers the
     * director's elements again ({@code registerAgain}) and waits up to {@link #SETTLE} more. True when it is served.
     */
    static boolean awaitServedAgain(Probe api, Runnable registerAgain, long before, String what)
            throws InterruptedException {
        if (api.await(PATIENCE, before) >= 0) {
            return true;
        }
        LOG.warn("Jetty does not serve {} {} s after applying {}: registering the director's servlets again",
                ApiServlet.PATTERN, PATIENCE.toSeconds(), what);
        registerAgain.run();
        if (api.await(SETTLE, before) >= 0) {
            LOG.info("Jetty serves {} again", ApiServlet.PATTERN);
            return true;
        }
        LOG.warn("Jetty does not serve {} within {} s of applying {}", ApiServlet.PATTERN,
                PATIENCE.plus(SETTLE).toSeconds(), what);
        return false;
    }

    /** {@link ServedApi#await}, for tests. */
    @FunctionalInterface
    interface Probe {
        long await(Duration timeout, long notRuntime) throws InterruptedException;
    }

    @FunctionalInterface
    private interface Change {
        /** Makes the change; true when it restarts Jetty. */
        boolean apply();
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        changes.shutdownNow();
        changes.awaitTermination(10, TimeUnit.SECONDS);
        api.close();
    }
}
