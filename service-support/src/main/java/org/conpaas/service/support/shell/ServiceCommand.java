package org.conpaas.service.support.shell;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.conpaas.api.InvalidInputException;
import org.conpaas.api.director.Director;
import org.conpaas.api.director.SessionUser;
import org.conpaas.api.model.UploadedFile;

/**
 * What every service type's own {@code cps:<type>-*} command has: the director, the shell's user, and the service it
 * addresses ({@code <application> <service>}, by id or name). It acts as the logged-in user, like the director's
 * own cps commands, and calls the service's operations through the director, so it is refused exactly where the
 * REST API would be. A file on the director's host goes through {@link SessionUser#hostFile} (administrators only).
 * Embedded by the service bundles (Karaf injects the fields of superclasses too).
 */
public abstract class ServiceCommand implements Action {

    @Reference
    protected Director director;

    @Reference
    protected SessionUser user;

    @Argument(index = 0, name = "application", required = true, description = "The application's id or name")
    protected String application;

    @Argument(index = 1, name = "service", required = true, description = "The service's id or name")
    protected String service;

    /** Wires the command as Karaf does (its references and first two arguments): for tests and other front ends. */
    public void bind(Director director, SessionUser user, String application, String service) {
        this.director = director;
        this.user = user;
        this.application = application;
        this.service = service;
    }

    /**
     * A file of the director's host as an operation's file parameter {@code field}: administrators only (see {@link
     * SessionUser#hostFile}); a path that names no file is an {@link InvalidInputException}.
     */
    protected UploadedFile hostUpload(String field, String file) {
        Path path = user.hostFile(file);
        if (!Files.isRegularFile(path)) {
            throw new InvalidInputException(field, "no file " + file);
        }
        return new UploadedFile(field, path.getFileName().toString(), path);
    }

    /** Calls one of the service's operations as the logged-in user. */
    protected Object call(String operation, Map<String, Object> params) {
        return call(operation, params, Map.of());
    }

    protected Object call(String operation, Map<String, Object> params, Map<String, UploadedFile> files) {
        return director.invoke(user.name(), application, service, operation, params, files);
    }
}
