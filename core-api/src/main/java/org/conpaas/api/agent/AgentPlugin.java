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
}
