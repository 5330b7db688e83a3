package org.conpaas.core.internal.director;

import org.conpaas.api.InvalidInputException;
import org.conpaas.core.internal.persistence.ServiceEntity;

/**
 * The director's bounds on what one caller may ask for (etc/org.conpaas.director.cfg), so that no request can make it
 * allocate without bound. Every refusal names the setting, so an operator knows what to raise.
 */
record InputLimits(int maxNodesPerRequest, int maxNodesPerService, int maxStartupScriptKb) {

    static final InputLimits DEFAULTS = new InputLimits(100, 200, 64);

    InputLimits {
        if (maxNodesPerRequest < 1 || maxNodesPerService < 1 || maxStartupScriptKb < 1
                || maxStartupScriptKb * 1024L > ServiceEntity.MAX_STARTUP_SCRIPT_CHARS) {
            throw new IllegalArgumentException("input limits must be positive (and maxStartupScriptKb at most 1024): "
                    + maxNodesPerRequest + ", " + maxNodesPerService + ", " + maxStartupScriptKb);
        }
    }

    static InputLimits of(DirectorConfig config) {
        return new InputLimits(config.maxNodesPerRequest(), config.maxNodesPerService(), config.maxStartupScriptKb());
    }

    /** Refuses growing a service that holds {@code existing} nodes by {@code adding} past the per-service bound. */
    void checkServiceSize(int existing, int adding) {
        if ((long) existing + adding > maxNodesPerService) {
            throw new InvalidInputException("roles", "Cannot add " + adding + " nodes: the service has " + existing
                    + " and may have at most " + maxNodesPerService + " (maxNodesPerService)");
        }
    }

    /** Refuses a startup script longer than the bound (measured in UTF-8 bytes, what the nodes receive). */
    void checkStartupScript(String script) {
        if (script != null && script.length() > maxStartupScriptKb * 1024L / 4
                && script.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > maxStartupScriptKb * 1024L) {
            throw new InvalidInputException("script", "the startup script is longer than " + maxStartupScriptKb
                    + " KB (maxStartupScriptKb)");
        }
    }
}
