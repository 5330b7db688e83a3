package org.conpaas.service.web;

import java.util.List;
import java.util.Map;
import org.conpaas.api.service.ServiceType;

/** What every web hosting type shares: its roles, what a plain count adds, and how a service starts. */
public abstract class WebServiceType implements ServiceType {

    /** proxy first: the starting node is the first proxy (it also runs web and backend until those are added). */
    @Override
    public final List<String> roles() {
        return List.of(WebRoles.PROXY, WebRoles.WEB, WebRoles.BACKEND);
    }

    /** A plain count adds backends, as in the original. */
    @Override
    public final String defaultRole() {
        return WebRoles.BACKEND;
    }

    @Override
    public final Map<String, Integer> startingNodes() {
        return Map.of(WebRoles.PROXY, 1);
    }
}
