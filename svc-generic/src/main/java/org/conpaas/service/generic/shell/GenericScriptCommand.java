package org.conpaas.service.generic.shell;

import java.util.HashMap;
import java.util.Map;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.conpaas.api.director.Director;
import org.conpaas.api.director.SessionUser;
import org.conpaas.service.generic.GenericServiceType;

/** {@code cps:generic-<script> [-p parameters] <application> <service>}: runs one script on every node. */
abstract class GenericScriptCommand implements Action {

    @Reference
    Director director;

    /** Acts as whoever logged in to the shell, like the director's own cps commands. */
    @Reference
    SessionUser user;

    @Argument(index = 0, name = "application", required = true, description = "The application's id or name")
    String application;

    @Argument(index = 1, name = "service", required = true, description = "The service's id or name")
    String service;

    @Option(name = "-p", aliases = "--parameters", description = "Arguments for the script, separated by white space")
    String parameters;

    /** The operation, which is also the script's name without {@code .sh}. */
    abstract String script();

    @Override
    public Object execute() {
        Map<String, Object> params = new HashMap<>();
        if (parameters != null) {
            params.put(GenericServiceType.PARAMETERS, parameters);
        }
        director.invoke(user.name(), application, service, script(), params, Map.of());
        System.out.println(ScriptStatusTable.started(script()));
        return null;
    }
}
