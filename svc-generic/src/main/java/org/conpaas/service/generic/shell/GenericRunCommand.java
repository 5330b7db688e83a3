package org.conpaas.service.generic.shell;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.conpaas.service.generic.GenericServiceType;

/** {@code cps:generic-run [-p parameters] <application> <service>}. */
@Service
@Command(scope = "cps", name = "generic-run", description = "Runs run.sh on every node of a generic service")
public class GenericRunCommand extends GenericScriptCommand {

    @Override
    String script() {
        return GenericServiceType.RUN;
    }
}
