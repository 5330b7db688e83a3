package org.conpaas.core.shell;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "cps", name = "service-stop",
        description = "Stop a service, releasing its nodes (also while it starts or changes); waits unless --no-wait")
public class ServiceStopCommand extends CpsWaitingAction {

    @Override
    protected Object run(String user) {
        return report(user, director.stopService(user, app, svc));
    }
}
