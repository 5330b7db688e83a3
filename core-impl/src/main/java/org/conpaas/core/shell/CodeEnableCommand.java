package org.conpaas.core.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.conpaas.api.State;
import org.conpaas.api.model.ServiceInfo;

@Service
@Command(scope = "cps", name = "code-enable",
        description = "Make a code version the active one; waits for the nodes to get it unless --no-wait")
public class CodeEnableCommand extends CpsWaitingAction {

    @Argument(index = 2, name = "version", description = "Code version id (code-XXXXXX)", required = true)
    String version;

    @Override
    protected Object run(String user) {
        ServiceInfo started = director.activateCode(user, app, svc, version);
        if (started.state() != State.ADAPTING) {
            out().println("code version " + version + " is active");
            return null;
        }
        return report(user, started);
    }
}
