package org.conpaas.service.xtreemfs.shell;

import java.util.Map;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.conpaas.api.director.Director;
import org.conpaas.api.director.SessionUser;

/** What every cps:xtreemfs-* command has: the director, the shell's user, and the service it addresses. */
abstract class XtreemfsServiceCommand implements Action {

    @Reference
    Director director;

    /** Acts as whoever logged in to the shell, like the director's own cps commands. */
    @Reference
    SessionUser user;

    @Argument(index = 0, name = "application", required = true, description = "The application's id or name")
    String application;

    @Argument(index = 1, name = "service", required = true, description = "The service's id or name")
    String service;

    Object call(String operation, Map<String, Object> params) {
        return director.invoke(user.name(), application, service, operation, params, Map.of());
    }
}
