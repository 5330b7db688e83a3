package org.conpaas.core.shell;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "cps", name = "startup-script-get", description = "Show a service's startup script")
public class StartupScriptGetCommand extends CpsServiceAction {

    @Override
    protected Object run(String user) {
        String script = director.startupScript(user, app, svc);
        if (script == null) {
            out().println("the service has no startup script");
        } else {
            out().print(script);
            out().flush();
        }
        return null;
    }
}
