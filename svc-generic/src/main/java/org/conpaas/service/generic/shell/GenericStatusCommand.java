package org.conpaas.service.generic.shell;

import java.util.Map;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.conpaas.service.support.shell.ServiceCommand;
import org.conpaas.service.generic.GenericServiceType;

/** {@code cps:generic-status <application> <service>}: every script's status on every node. */
@Service
@Command(scope = "cps", name = "generic-status", description = "Shows the status of every script on every node")
public class GenericStatusCommand extends ServiceCommand {

    @Override
    public Object execute() {
        Object result = call(GenericServiceType.GET_SCRIPT_STATUS, Map.of());
        System.out.println(ScriptStatusTable.render(result));
        return null;
    }
}
