package org.conpaas.core.shell;

import java.nio.file.Path;

import org.apache.karaf.shell.api.console.Session;
import org.conpaas.api.ForbiddenException;

/**
 * The files on the director's host that a {@code cps:*} command reads or writes (code-upload, code-download,
 * startup-script-set, user-certificate, operation-call's {@code name=@/path}). The director runs as its host's
 * operator (often root), so only administrators may name such a file: a plain user's shell has no file access at
 * all (docs/decisions.md "Shell confinement"); plain users upload and download through the REST API instead.
 */
final class DirectorHostFiles {

    static final String REFUSED = "only administrators may read or write files on the director's host; "
            + "plain users upload and download through the REST API";

    private final boolean administrator;
    private final Session session;

    DirectorHostFiles(boolean administrator, Session session) {
        this.administrator = administrator;
        this.session = session;
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
        Path base = session == null ? null : session.currentDir();
        return (base == null ? Path.of("").toAbsolutePath() : base).resolve(path).normalize();
    }
}
