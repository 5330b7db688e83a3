package org.conpaas.agent.core;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The agent's settings, read from the framework properties that the launcher copied from {@code agent.properties}
 * (keys: docs/agent-protocol.md).
 */
/**
 * {@code mediaDir}: volumes are mounted below it, one folder per name ({@code <workDir>/media} unless
 * {@code conpaas.agent.mediaDir} names another; the local cloud keeps it outside the node's own folder when it mounts
 * volumes for unprivileged nodes).
 */
public record AgentConfiguration(String nodeId, String role, String userId, long applicationId, int serviceId,
        String address, int port, Path keyStore, Path trustStore, String storePassword, Path workDir,
        String directorUrl, Map<String, String> properties, Path mediaDir) {

    public static final int DEFAULT_PORT = 5555;
    public static final String PROPERTY_PREFIX = "conpaas.prop.";

    public AgentConfiguration {
        properties = Map.copyOf(properties);
    }

    /**
     * Reads the settings through {@code lookup} (e.g. {@code BundleContext::getProperty}); {@code propertyNames}
     * lists the names that may carry {@code conpaas.prop.*} values.
     */
    public static AgentConfiguration from(Function<String, String> lookup, Set<String> propertyNames) {
        Map<String, String> extra = new HashMap<>();
        for (String name : propertyNames) {
            if (name.startsWith(PROPERTY_PREFIX) && lookup.apply(name) != null) {
                extra.put(name.substring(PROPERTY_PREFIX.length()), lookup.apply(name));
            }
        }
        Path workDir = Path.of(required(lookup, "conpaas.agent.workDir")).toAbsolutePath();
        return new AgentConfiguration(
                required(lookup, "conpaas.node.id"),
                optional(lookup, "conpaas.node.role", ""),
                optional(lookup, "conpaas.user.id", ""),
                number(lookup, "conpaas.application.id", 0),
                (int) number(lookup, "conpaas.service.id", 0),
                optional(lookup, "conpaas.agent.address", "127.0.0.1"),
                (int) number(lookup, "conpaas.agent.port", DEFAULT_PORT),
                workDir.resolve(required(lookup, "conpaas.agent.keystore")),
                workDir.resolve(required(lookup, "conpaas.agent.truststore")),
                required(lookup, "conpaas.agent.storePassword"),
                workDir,
                optional(lookup, "conpaas.director.url", ""),
                extra,
                workDir.resolve(optional(lookup, "conpaas.agent.mediaDir", "media")));
    }

    public Path logDir() {
        return workDir.resolve("logs");
    }

    public Path cacheDir() {
        return workDir.resolve("cache");
    }

    /** The node's code versions (see {@code CodeStore}). */
    public Path codeDir() {
        return workDir.resolve("code");
    }

    public Path uploadDir() {
        return workDir.resolve("uploads");
    }

    private static String required(Function<String, String> lookup, String key) {
        String value = lookup.apply(key);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("agent setting " + key + " is missing");
        }
        return value.trim();
    }

    private static String optional(Function<String, String> lookup, String key, String fallback) {
        String value = lookup.apply(key);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    private static long number(Function<String, String> lookup, String key, long fallback) {
        String value = optional(lookup, key, null);
        if (value == null) {
            return fallback;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("agent setting " + key + " is not a number: " + value, e);
        }
    }
}
