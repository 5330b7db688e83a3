package org.conpaas.agent.core;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.osgi.framework.BundleContext;

/** Reads {@link AgentConfiguration} from the framework properties the launcher set. */
public final class FrameworkSettings {

    /** Set by the launcher: the names of the {@code conpaas.prop.*} settings (bundles cannot list properties). */
    static final String PROPERTY_NAMES = "conpaas.agent.propertyNames";

    private FrameworkSettings() {
    }

    public static AgentConfiguration read(BundleContext context) {
        String names = context.getProperty(PROPERTY_NAMES);
        Set<String> propertyNames = names == null || names.isBlank() ? Set.of()
                : Arrays.stream(names.split(",")).map(String::trim).collect(Collectors.toSet());
        return AgentConfiguration.from(context::getProperty, propertyNames);
    }
}
