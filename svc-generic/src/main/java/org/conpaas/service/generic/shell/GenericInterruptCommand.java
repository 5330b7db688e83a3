package org.conpaas.service.generic.shell;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.conpaas.service.generic.GenericServiceType;

/** {@code cps:generic-interrupt [-p parameters] <application> <service>}. */
@Service
@Command(scope = "cps", name = "generic-interrupt", description = "Runs interrupt.sh on every node of a generic service; "
        + "a second interrupt kills all scripts")
public class GenericInterruptCommand extends GenericScriptCommand {

    @Override
    String script() {
        return GenericServiceType.INTERRUPT;
    }
}
