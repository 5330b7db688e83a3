package org.conpaas.service.testing;

import java.nio.file.Path;
import org.conpaas.api.ForbiddenException;
import org.conpaas.api.director.SessionUser;

/** A shell user who is no administrator, for service types' command tests: names no file of the director's host. */
public record PlainSessionUser(String name) implements SessionUser {

    @Override
    public Path hostFile(String file) {
        throw new ForbiddenException("only administrators may read or write files on the director's host");
    }
}
