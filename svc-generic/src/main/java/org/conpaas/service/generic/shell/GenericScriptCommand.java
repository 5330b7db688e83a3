package org.conpaas.service.generic.shell;

import java.util.HashMap;
import java.util.Map;
import org.apache.karaf.shell.api.action.Option;
import org.conpaas.service.generic.GenericServiceType;
import org.conpaas.service.support.shell.ServiceCommand;

/** {@code cps:generic-<script> [-p parameters] <application> <service>}: runs one script on every node. */
abstract class GenericScriptCommand extends ServiceCommand {

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
        call(script(), params);
        System.out.println(ScriptStatusTable.started(script()));
        return null;
    }
}
