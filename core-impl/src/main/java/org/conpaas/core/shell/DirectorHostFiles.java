package org.conpaas.core.shell;

import java.nio.file.Path;

import org.conpaas.api.ForbiddenException;

/**
 * The files on the director's host that a {@code cps:*} command reads or writes (code-upload, code-download,
 * startup-script-set, user-certificate, operation-call's {@code name=@/path}). The director runs as its host's
 * operator (often root), so only administrators may name such a file: a plain user's shell has no file access at
 * all (docs/decisions.md "Shell confinement"); plain users upload and download through the REST API instead.
 * Service bundles' commands reach the same rule through {@link org.conpaas.api.director.SessionUser#hostFile}.
 */
final class DirectorHostFiles {

    static final String REFUSED = "only administrators may read or write files on the director's host; "
            + "plain users upload and download through the REST API";

    private final boolean administrator;
    private final Path currentDir;

    /** {@code currentDir}: the shell session's current directory, or null for the director's working directory. */
    DirectorHostFiles(boolean administrator, Path currentDir) {
        this.administrator = administrator;
        this.currentDir = currentDir;
    }

    /** The named file, relative to the session's current directory as other Karaf commands that touch files. */
    Path resolve(String name) {
        if (!administrator) {
            throw new ForbiddenException(REFUSED);
        }
        Path path = Path.of(name);
        if (path.isAbsolute()) {
            return path.normalize();
        }
        return (currentDir == null ? Path.of("").toAbsolutePath() : currentDir).resolve(path).normalize();
    }
}
