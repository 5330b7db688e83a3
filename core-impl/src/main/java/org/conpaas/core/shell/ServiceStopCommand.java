package org.conpaas.core.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "cps", name = "service-stop", description = "Stop a service, releasing its nodes; waits unless --no-wait")
public class ServiceStopCommand extends CpsWaitingAction {

    @Argument(index = 0, name = "application", description = "Application id or name", required = true)
    @Completion(ApplicationCompleter.class)
    String app;

    @Argument(index = 1, name = "service", description = "Service id or name", required = true)
    @Completion(ServiceCompleter.class)
    String svc;

    @Override
    protected Object run(String user) {
        return report(user, app, director.stopService(user, app, svc));
    }
}
