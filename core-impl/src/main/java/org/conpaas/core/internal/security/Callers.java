package org.conpaas.core.internal.security;

/**
 * Tells the REST resources and the shell commands on whose behalf a call runs.
 * Accounts and authentication come with issue 3; until then every call acts as the configured default user.
 */
public interface Callers {

    /** The user id every call acts as while there is no authentication. */
    String defaultUser();
}
