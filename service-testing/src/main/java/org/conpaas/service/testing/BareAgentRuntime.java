package org.conpaas.service.testing;

import java.io.File;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.felix.framework.FrameworkFactory;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;

/**
 * A bare Felix holding only what the agent runtime holds (SCR and its OSGi APIs, core-api; no Karaf) plus one
 * packaged service bundle: it proves the bundle resolves there, and that its agent plug-in appears exactly when a
 * NodeEnvironment does. The runtime's jars are taken from the test class path.
 */
public final class BareAgentRuntime implements AutoCloseable {
    private static final String[] RUNTIME_JARS = {"org.osgi.util.function-", "org.osgi.util.promise-",
        "org.osgi.service.component-", "org.apache.felix.scr-", "core-api-"};

    private final Framework framework;
    private final BundleContext context;
    private final Bundle coreApi;
    private final Bundle service;

    private BareAgentRuntime(Framework framework, Bundle coreApi, Bundle service) {
        this.framework = framework;
        this.context = framework.getBundleContext();
        this.coreApi = coreApi;
        this.service = service;
    }

    /** Starts the runtime with the bundle; throws a BundleException naming what is missing if it does not resolve. */
    public static BareAgentRuntime start(Path storage, File serviceBundle) throws Exception {
        Map<String, String> config = new HashMap<>();
        config.put("org.osgi.framework.storage", storage.toString());
        config.put("org.osgi.framework.storage.clean", "onFirstInit");
        Framework framework = new FrameworkFactory().newFramework(config);
        framework.start();
        try {
            BundleContext context = framework.getBundleContext();
            List<Bundle> bundles = new ArrayList<>();
            for (String jar : RUNTIME_JARS) {
                bundles.add(context.installBundle(classpathJar(jar).toURI().toString()));
            }
            Bundle service = context.installBundle(serviceBundle.toURI().toString());
            bundles.add(service);
            for (Bundle bundle : bundles) {
                bundle.start();
            }
            return new BareAgentRuntime(framework, bundles.get(RUNTIME_JARS.length - 1), service);
        } catch (Exception | Error e) {
            framework.stop();
            throw e;
        }
    }

    public Bundle serviceBundle() {
        return service;
    }

    /** Whether a service of the type is registered now. */
    public boolean has(String type) throws Exception {
        return context.getAllServiceReferences(type, null) != null;
    }

    /**
     * The first service of the type, waiting up to 10 s; null if none came. All references, not only "assignable"
     * ones: the test class path holds its own copy of core-api, so Felix would otherwise hide the bundle's services.
     */
    public ServiceReference<?> await(String type) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            ServiceReference<?>[] references = context.getAllServiceReferences(type, null);
            if (references != null) {
                return references[0];
            }
            Thread.sleep(20);
        }
        return null;
    }

    /** Becomes an agent: registers a NodeEnvironment of node-1 working in {@code workDir}, with no process started. */
    public void becomeAgent(Path workDir) throws Exception {
        Class<?> environmentType = coreApi.loadClass("org.conpaas.api.agent.NodeEnvironment");
        Class<?> runnerType = coreApi.loadClass("org.conpaas.api.agent.ProcessRunner");
        Object runner = Proxy.newProxyInstance(runnerType.getClassLoader(), new Class<?>[] {runnerType},
                (proxy, method, args) -> switch (method.getName()) {
                    case "find" -> Optional.empty();
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        Object environment = Proxy.newProxyInstance(environmentType.getClassLoader(),
                new Class<?>[] {environmentType}, (proxy, method, args) -> switch (method.getName()) {
                    case "workDir" -> workDir;
                    case "processes" -> runner;
                    case "cacheDir" -> workDir.resolve("cache");
                    case "logDir" -> workDir.resolve("logs");
                    case "mediaDir" -> workDir.resolve("media");
                    case "codeDir" -> workDir.resolve("code").resolve("current");
                    case "codeVersion" -> Optional.empty(); // a node that got no code yet
                    case "properties" -> Map.of();
                    case "nodeId" -> "node-1";
                    case "toString" -> "fake NodeEnvironment";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        context.registerService(environmentType.getName(), environment, new Hashtable<>());
    }

    /**
     * The check every service bundle needs: the bundle is active with its service type and no agent plug-in; once
     * the runtime becomes an agent in {@code workDir}, the plug-in of {@code type} appears. Returns that plug-in.
     */
    public ServiceReference<?> checkPluginAppearsOnlyInsideAnAgent(String type, Path workDir) throws Exception {
        check(service.getState() == Bundle.ACTIVE, "the bundle is active");
        check(await("org.conpaas.api.service.ServiceType") != null, "the service type is there");
        check(!has("org.conpaas.api.agent.AgentPlugin"), "no agent plug-in without a NodeEnvironment");
        becomeAgent(workDir);
        ServiceReference<?> plugin = await("org.conpaas.api.agent.AgentPlugin");
        check(plugin != null, "the agent plug-in appears inside an agent");
        check(type.equals(plugin.getProperty("conpaas.service.type")), "the plug-in is of type " + type);
        return plugin;
    }

    private static void check(boolean condition, String expectation) {
        if (!condition) {
            throw new AssertionError("expected: " + expectation);
        }
    }

    /** Calls an operation of a registered agent plug-in (through reflection: it lives in the runtime's class space). */
    public Object invoke(ServiceReference<?> plugin, String operation, Map<String, Object> params) throws Exception {
        Object service = context.getService(plugin);
        Method invoke = service.getClass().getMethod("invoke", String.class, Map.class, Map.class);
        return invoke.invoke(service, operation, params, Map.of());
    }

    @Override
    public void close() throws Exception {
        framework.stop();
        framework.waitForStop(10_000);
    }

    private static File classpathJar(String prefix) {
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            File file = new File(entry);
            if (file.getName().startsWith(prefix) && file.getName().endsWith(".jar")) {
                return file;
            }
        }
        throw new AssertionError("no " + prefix + "*.jar on the test class path");
    }
}
