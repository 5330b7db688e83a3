package org.conpaas.api.director;

/**
 * The user the current shell command acts as: whoever logged in to the Karaf session (ssh, {@code bin/client}, or
 * the local console's configured user). Service bundles' own shell commands use it, so that they act as the caller
 * exactly like the director's {@code cps:*} commands do.
 */
public interface SessionUser {

    /** The logged-in user's name; throws {@link org.conpaas.api.AuthenticationException} outside a logged-in session. */
    String name();
}
