package org.conpaas.api.agent;

import java.nio.file.Path;
import java.util.Map;

/**
 * The node side of a service type, registered with the property {@code conpaas.service.type}. It lives in the same
 * bundle as the {@link org.conpaas.api.service.ServiceType}, but is only activated inside the agent runtime,
 * because it needs the agent's {@link NodeEnvironment}.
 */
public interface AgentPlugin {

    /** Runs one operation the manager asked for; the result must be JSON-serialisable (maps, lists, strings, numbers). */
    Object invoke(String operation, Map<String, Object> params, Map<String, Path> files) throws Exception;

    /**
     * The node's active code version became {@code version}, now in {@link NodeEnvironment#codeDir()}: react to it
     * (restart scripts, point servers at it). Throwing refuses the version: the agent switches the node back to the
     * version it served, calls this again with that one, and reports the failure to the director, which puts the
     * service's other nodes back as well. Nothing to do by default.
     */
    default void onCodeActivated(String version) throws Exception {
    }

    /**
     * What is wrong on this node right now, in one sentence (a server process this plug-in started has died,
     * say), or empty when all is well. Asked with every health check of the node (every few seconds), so it must
     * answer at once from what the plug-in knows; the director shows it as the node's status reason until it clears.
     */
    default java.util.Optional<String> problem() {
        return java.util.Optional.empty();
    }

    /**
     * The type's own figures on this node now, by name: requests served, transactions committed, free task slots.
     * A name ending in {@code _total} is a counter (it only grows while the server runs; the director charts it per
     * second as {@code <name>_per_second}), any other a gauge charted as it is. Names are lower case letters, digits
     * and underscores (Prometheus' rules: they become {@code conpaas_node_<name>} at {@code /metrics}); at most
     * {@link #MAX_METRICS} are kept. Asked with every load sample (every few seconds), so it must be cheap and answer
     * within a second; a figure the plug-in cannot read now is left out. None by default.
     */
    default Map<String, Double> metrics() {
        return Map.of();
    }

    /** The most figures of {@link #metrics()} a node's sample keeps (all plug-ins of the node together). */
    int MAX_METRICS = 16;

    /** What a figure's name must look like (Prometheus' rules for a metric name, lower case, bounded). */
    java.util.regex.Pattern METRIC_NAME = java.util.regex.Pattern.compile("[a-z][a-z0-9_]{0,47}");
}
