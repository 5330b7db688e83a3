package org.conpaas.api.director;

import java.nio.file.Path;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The user the current shell command acts as: whoever logged in to the Karaf session (ssh, {@code bin/client}, or
 * the local console's configured user). Service bundles' own shell commands use it, so that they act as the caller
 * exactly like the director's {@code cps:*} commands do. Implemented by the director only.
 */
@ProviderType
public interface SessionUser {

    /** The logged-in user's name; throws {@link org.conpaas.api.AuthenticationException} outside a logged-in session. */
    String name();

    /**
     * A file on the director's host that a command reads or writes for the logged-in user, resolved against the
     * session's current directory. The director runs as its host's operator, so only administrators may name such
     * a file: for everybody else this throws {@link org.conpaas.api.ForbiddenException} (plain users upload and
     * download through the REST API). Service bundles' commands must go through here for every host path.
     */
    Path hostFile(String name);
}
