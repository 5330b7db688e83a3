package org.conpaas.service.generic.shell;

import java.util.Map;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.conpaas.api.director.Director;
import org.conpaas.api.director.SessionUser;
import org.conpaas.service.generic.GenericServiceType;

/** {@code cps:generic-status <application> <service>}: every script's status on every node. */
@Service
@Command(scope = "cps", name = "generic-status", description = "Shows the status of every script on every node")
public class GenericStatusCommand implements Action {

    @Reference
    Director director;

    /** Acts as whoever logged in to the shell, like the director's own cps commands. */
    @Reference
    SessionUser user;

    @Argument(index = 0, name = "application", required = true, description = "The application's id or name")
    String application;

    @Argument(index = 1, name = "service", required = true, description = "The service's id or name")
    String service;

    @Override
    public Object execute() {
        Object result = director.invoke(user.name(), application, service, GenericServiceType.GET_SCRIPT_STATUS,
                Map.of(), Map.of());
        System.out.println(ScriptStatusTable.render(result));
        return null;
    }
}
