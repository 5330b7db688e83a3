package org.conpaas.core.rest;

import java.security.Principal;
import java.util.Set;
import java.util.function.Function;

import javax.ws.rs.core.SecurityContext;

/** The security context of an authenticated REST call; roles are looked up when asked, so they are current. */
final class CallerSecurityContext implements SecurityContext {

    private final String username;
    private final String scheme;
    private final boolean secure;
    private final Function<String, Set<String>> rolesOf;

    CallerSecurityContext(String username, String scheme, boolean secure, Function<String, Set<String>> rolesOf) {
        this.username = username;
        this.scheme = scheme;
        this.secure = secure;
        this.rolesOf = rolesOf;
    }

    @Override
    public Principal getUserPrincipal() {
        return () -> username;
    }

    @Override
    public boolean isUserInRole(String role) {
        return rolesOf.apply(username).contains(role);
    }

    @Override
    public boolean isSecure() {
        return secure;
    }

    @Override
    public String getAuthenticationScheme() {
        return scheme;
    }
}
