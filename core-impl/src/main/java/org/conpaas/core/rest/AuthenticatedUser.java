package org.conpaas.core.rest;

import java.security.Principal;

import javax.ws.rs.core.SecurityContext;

import org.conpaas.api.AuthenticationException;

/**
 * The user a REST call acts as: the principal {@link RestAuthentication} put into the request's security context.
 * A resource reads it from an injected {@code @Context SecurityContext} (CXF injects a per-request proxy into
 * singleton resources), usually through {@link CallerResource#caller()}.
 */
public final class AuthenticatedUser {

    private AuthenticatedUser() {
    }

    /** The authenticated user's name; 401 if the call carried no credentials (a public endpoint). */
    public static String name(SecurityContext security) {
        Principal principal = security == null ? null : security.getUserPrincipal();
        if (principal == null) {
            throw new AuthenticationException(RestAuthentication.CREDENTIALS_REQUIRED);
        }
        return principal.getName();
    }
}
