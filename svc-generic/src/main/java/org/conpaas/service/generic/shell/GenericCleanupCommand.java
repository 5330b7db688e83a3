package org.conpaas.service.generic.shell;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.conpaas.service.generic.GenericServiceType;

/** {@code cps:generic-cleanup [-p parameters] <application> <service>}. */
@Service
@Command(scope = "cps", name = "generic-cleanup", description = "Runs cleanup.sh on every node of a generic service")
public class GenericCleanupCommand extends GenericScriptCommand {

    @Override
    String script() {
        return GenericServiceType.CLEANUP;
    }
}
