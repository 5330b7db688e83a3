package org.conpaas.agent.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.felix.framework.Felix;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;

/**
 * Entry point of the node agent: starts an Apache Felix framework configured from {@code agent.properties},
 * installs and starts the bundles shipped in {@code bundles/}, and lives until the framework stops. SIGTERM stops
 * the framework cleanly through a shutdown hook.
 */
public final class AgentLauncher {

    static {
        // must be set before java.util.logging starts, i.e. before the first Logger below
        System.setProperty("java.util.logging.manager", AgentLogManager.class.getName());
    }

    private static final Logger LOG = Logger.getLogger(AgentLauncher.class.getName());
    private static final long STOP_WAIT_MS = 15_000;

    private AgentLauncher() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: conpaas-agent <path to agent.properties>");
            System.exit(2);
        }
        AgentSettings settings = AgentSettings.load(Paths.get(args[0]));
        AgentLogSetup.toFile(settings.workDir().resolve("logs").resolve("agent.log"));
        Path bundleDir = installDir().resolve("bundles");
        int exitCode = run(settings, bundleDir);
        System.exit(exitCode);
    }

    /** Runs the framework until it stops; returns the process exit code. */
    static int run(AgentSettings settings, Path bundleDir) throws Exception {
        Felix framework = new Felix(settings.frameworkProperties(new FelixJulLogger()));
        framework.init();
        java.util.concurrent.atomic.AtomicBoolean signalled = new java.util.concurrent.atomic.AtomicBoolean();
        Thread hook = new Thread(() -> {
            signalled.set(true);
            stopQuietly(framework);
            // Logged here, not by main: the JVM halts as soon as this hook returns, whatever main is doing.
            LOG.info("agent framework stopped (SIGTERM)");
        }, "agent-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            installAndStart(framework, BundleFiles.inOrder(bundleDir));
            framework.start();
            requireAllActive(framework);
            Files.writeString(settings.workDir().resolve("agent.pid"), ProcessHandle.current().pid() + "\n");
            LOG.info(() -> "agent " + settings.nodeId() + " started (pid " + ProcessHandle.current().pid() + ")");
        } catch (BundleException | IOException | RuntimeException e) {
            LOG.log(Level.SEVERE, "agent failed to start: " + e.getMessage(), e);
            System.err.println("agent failed to start: " + e.getMessage());
            stopQuietly(framework);
            return 1;
        }
        FrameworkEvent event = framework.waitForStop(0);
        if (!signalled.get()) {
            LOG.info(() -> "agent framework stopped (event " + event.getType() + ")");
        }
        // only SIGTERM stops a healthy agent; a stop from inside (e.g. it could not listen) is a failure
        return signalled.get() ? 0 : 1;
    }

    private static void installAndStart(Felix framework, List<Path> bundleFiles) throws BundleException {
        var context = framework.getBundleContext();
        List<Bundle> installed = new java.util.ArrayList<>();
        // install everything first so that the resolver sees all of them before the first start; "reference:"
        // reads each jar where it is instead of copying it into the framework's cache (3.5 MB per node start)
        for (Path file : bundleFiles) {
            installed.add(context.installBundle("reference:" + file.toUri()));
        }
        for (Bundle bundle : installed) {
            if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                bundle.start();
            }
        }
    }

    /** An agent with a bundle that failed to start cannot serve the protocol: fail the process instead. */
    private static void requireAllActive(Felix framework) throws BundleException {
        if (framework.getState() != Bundle.ACTIVE) {
            throw new BundleException("the agent stopped while starting (see agent.log)");
        }
        for (Bundle bundle : framework.getBundleContext().getBundles()) {
            boolean fragment = bundle.getHeaders().get(Constants.FRAGMENT_HOST) != null;
            if (!fragment && bundle.getState() != Bundle.ACTIVE) {
                throw new BundleException("bundle " + bundle.getSymbolicName() + " did not start (see agent.log)");
            }
        }
    }

    private static void stopQuietly(Felix framework) {
        try {
            if ((framework.getState() & (Bundle.ACTIVE | Bundle.STARTING)) != 0) {
                framework.stop();
                framework.waitForStop(STOP_WAIT_MS);
            }
        } catch (BundleException e) {
            LOG.log(Level.WARNING, "stopping the framework failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The folder the tarball was unpacked to: lib/conpaas-agent.jar lives one level below it. */
    private static Path installDir() throws Exception {
        Path jar = Paths.get(AgentLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return jar.getParent().getParent();
    }
}
