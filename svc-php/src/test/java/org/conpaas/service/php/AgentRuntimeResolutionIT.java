package org.conpaas.service.php;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;

import java.io.File;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.felix.framework.FrameworkFactory;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;

/**
 * The packaged bundle in a bare Felix holding only what the agent runtime holds (core-api, SCR and its OSGi
 * dependencies; no Karaf): it must resolve with svc-web-common embedded, and its agent plug-in must appear exactly
 * when a NodeEnvironment does.
 */
public class AgentRuntimeResolutionIT {

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private Framework framework;

    @After
    public void stopFramework() throws Exception {
        if (framework != null) {
            framework.stop();
            framework.waitForStop(10_000);
        }
    }

    @Test
    public void resolvesWithoutKarafAndActivatesThePluginOnlyInsideAnAgent() throws Exception {
        Map<String, String> config = new HashMap<>();
        config.put("org.osgi.framework.storage", temp.newFolder("felix-cache").getPath());
        config.put("org.osgi.framework.storage.clean", "onFirstInit");
        framework = new FrameworkFactory().newFramework(config);
        framework.start();
        BundleContext context = framework.getBundleContext();

        List<Bundle> bundles = new ArrayList<>();
        for (String jar : new String[] {"org.osgi.util.function-", "org.osgi.util.promise-",
                "org.osgi.service.component-", "org.apache.felix.scr-", "core-api-"}) {
            bundles.add(context.installBundle(classpathJar(jar).toURI().toString()));
        }
        Bundle php = context.installBundle(
                new File(System.getProperty("php.bundle")).toURI().toString());
        bundles.add(php);
        for (Bundle bundle : bundles) {
            bundle.start(); // throws BundleException naming the missing requirement if it does not resolve
        }
        assertEquals(Bundle.ACTIVE, php.getState());

        assertNotNull("the service type is there", await(context, "org.conpaas.api.service.ServiceType"));
        assertNull("no agent plug-in without a NodeEnvironment",
                context.getAllServiceReferences("org.conpaas.api.agent.AgentPlugin", null));

        // Become an agent: register a NodeEnvironment (built against the core-api bundle's own interface).
        Bundle coreApi = bundles.get(4);
        Class<?> environmentType = coreApi.loadClass("org.conpaas.api.agent.NodeEnvironment");
        Path workDir = temp.newFolder("node").toPath();
        Class<?> runnerType = coreApi.loadClass("org.conpaas.api.agent.ProcessRunner");
        Object runner = Proxy.newProxyInstance(runnerType.getClassLoader(), new Class<?>[] {runnerType},
                (proxy, method, args) -> switch (method.getName()) {
                    case "find" -> java.util.Optional.empty(); // nothing started yet
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        Object environment = Proxy.newProxyInstance(environmentType.getClassLoader(), new Class<?>[] {environmentType},
                (proxy, method, args) -> switch (method.getName()) {
                    case "workDir" -> workDir;
                    case "processes" -> runner;
                    case "cacheDir" -> workDir.resolve("cache");
                    case "logDir" -> workDir.resolve("logs");
                    case "nodeId" -> "node-1";
                    case "properties" -> Map.of();
                    case "toString" -> "fake NodeEnvironment";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        context.registerService(environmentType.getName(), environment, new Hashtable<>());

        ServiceReference<?> pluginReference = await(context, "org.conpaas.api.agent.AgentPlugin");
        assertNotNull("the agent plug-in appears inside an agent", pluginReference);
        assertEquals("php", pluginReference.getProperty("conpaas.service.type"));
        Object plugin = context.getService(pluginReference);
        Method invoke = plugin.getClass().getMethod("invoke", String.class, Map.class, Map.class);
        Map<?, ?> status = (Map<?, ?>) invoke.invoke(plugin, "status", Map.of(), Map.of());
        assertEquals(Boolean.FALSE, status.get("proxy"));
        assertEquals("", status.get("version"));
    }

    /**
     * All references, not only "assignable" ones: the test class path holds its own copy of core-api, so Felix
     * would otherwise hide the bundle's services from the system bundle.
     */
    private static ServiceReference<?> await(BundleContext context, String type) throws Exception {
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
