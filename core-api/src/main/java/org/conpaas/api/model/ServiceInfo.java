package org.conpaas.api.model;

import java.time.Instant;
import java.util.Map;
import org.conpaas.api.State;

/**
 * A service of an application. {@code id} is its number inside the application (1, 2, 3…, never reused).
 * {@code typeInstalled} is false while the service's type bundle is absent; such a service keeps its data.
 * {@code nodes} counts the service's nodes per role. {@code url} is where the service is reached (a web service's
 * proxy, for example), or null while it serves nothing. {@code replaceFailedNodes} says whether the director starts
 * a replacement (same role, charged as a new node) when a node of the service fails (on by default).
 */
public record ServiceInfo(long applicationId, int id, String name, String type, State state, String stateReason,
        boolean typeInstalled, String cloud, Instant created, Map<String, Integer> nodes, String url,
        boolean replaceFailedNodes) {

    /** A service with the default setting: failed nodes are replaced. */
    public ServiceInfo(long applicationId, int id, String name, String type, State state, String stateReason,
            boolean typeInstalled, String cloud, Instant created, Map<String, Integer> nodes, String url) {
        this(applicationId, id, name, type, state, stateReason, typeInstalled, cloud, created, nodes, url, true);
    }
}
