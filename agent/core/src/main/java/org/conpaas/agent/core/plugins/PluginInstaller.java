package org.conpaas.agent.core.plugins;

import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.wiring.FrameworkWiring;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs the service bundles the director pushes: one bundle per service type, replaced only when its bytes
 * (SHA-256) differ, so pushing the same jar again is cheap and keeps running services untouched.
 */
public final class PluginInstaller {

    public static final Duration REGISTRATION_TIMEOUT = Duration.ofSeconds(20);
    private static final Pattern TYPE = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Logger LOG = LoggerFactory.getLogger(PluginInstaller.class);

    private final BundleContext context;
    private final PluginRegistry registry;
    /** SHA-256 of the jar behind each installed type; the framework cache is cleaned at start, so memory is enough. */
    private final Map<String, String> digests = new HashMap<>();

    public PluginInstaller(BundleContext context, PluginRegistry registry) {
        this.context = context;
        this.registry = registry;
    }

    /** What {@code PUT /v1/plugins/{type}} answers. */
    public record Installed(String type, String version, long bundleId) {
    }

    public static boolean isValidType(String type) {
        return type != null && TYPE.matcher(type).matches();
    }

    public synchronized Installed install(String type, byte[] jar) throws PluginInstallException, InterruptedException {
        String digest = sha256(jar);
        String location = "conpaas-plugin:" + type;
        Bundle bundle = context.getBundle(location);
        try {
            if (bundle == null) {
                bundle = context.installBundle(location, new ByteArrayInputStream(jar));
                LOG.info("installed plug-in bundle {} {} for type {}", bundle.getSymbolicName(), bundle.getVersion(), type);
            } else if (!digest.equals(digests.get(type))) {
                bundle.update(new ByteArrayInputStream(jar));
                refresh(bundle);
                LOG.info("updated plug-in bundle {} to {} for type {}", bundle.getSymbolicName(), bundle.getVersion(), type);
            }
            digests.put(type, digest);
            bundle.start();
        } catch (BundleException e) {
            digests.remove(type);
            throw new PluginInstallException("the bundle for plugin " + type + " could not be started: "
                    + e.getMessage(), e);
        }
        Bundle started = bundle;
        PluginRegistry.Registered registered = registry.awaitFrom(type, started, REGISTRATION_TIMEOUT).orElseThrow(
                () -> new PluginInstallException("bundle " + started.getSymbolicName() + " did not register an agent "
                        + "plugin of type " + type + " within " + REGISTRATION_TIMEOUT.toSeconds() + " s", null));
        return new Installed(type, registered.version(), started.getBundleId());
    }

    /** Drops the old revision of an updated bundle so its classes and wirings are really replaced. */
    private void refresh(Bundle bundle) throws InterruptedException {
        FrameworkWiring wiring = context.getBundle(0).adapt(FrameworkWiring.class);
        CountDownLatch done = new CountDownLatch(1);
        wiring.refreshBundles(List.of(bundle), event -> {
            if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
                done.countDown();
            }
        });
        if (!done.await(10, TimeUnit.SECONDS)) {
            LOG.warn("refreshing {} took more than 10 s", bundle.getSymbolicName());
        }
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }
}
