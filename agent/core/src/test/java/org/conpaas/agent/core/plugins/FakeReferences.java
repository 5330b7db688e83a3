package org.conpaas.agent.core.plugins;

import java.lang.reflect.Proxy;
import org.conpaas.api.agent.AgentPlugin;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.Version;

/** A plug-in's service reference as the registry reads it, without a framework: its type and its bundle. */
public final class FakeReferences {

    private FakeReferences() {
    }

    @SuppressWarnings("unchecked")
    public static ServiceReference<AgentPlugin> reference(String type) {
        Bundle bundle = (Bundle) Proxy.newProxyInstance(FakeReferences.class.getClassLoader(),
                new Class<?>[] {Bundle.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getSymbolicName" -> "org.conpaas.service." + type;
                    case "getVersion" -> new Version(1, 0, 0);
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> null;
                });
        return (ServiceReference<AgentPlugin>) Proxy.newProxyInstance(FakeReferences.class.getClassLoader(),
                new Class<?>[] {ServiceReference.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getProperty" -> PluginRegistry.TYPE_PROPERTY.equals(args[0]) ? type : null;
                    case "getBundle" -> bundle;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> null;
                });
    }
}
