package org.conpaas.core.shell;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.conpaas.api.model.ServiceInfo;

@Service
@Command(scope = "cps", name = "service-remove", description = "Remove a stopped service from its application")
public class ServiceRemoveCommand extends CpsServiceAction {

    @Override
    protected Object run(String user) {
        ServiceInfo doomed = director.service(user, app, svc);
        director.removeService(user, app, svc);
        out().println(ServiceWaiter.label(doomed) + " removed");
        return null;
    }
}
