package org.conpaas.core.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.conpaas.api.model.ServiceInfo;

@Service
@Command(scope = "cps", name = "service-add", description = "Add a service of an installed type to an application")
public class ServiceAddCommand extends CpsApplicationAction {

    @Argument(index = 1, name = "type", description = "Service type, see cps:service-types", required = true)
    @Completion(ServiceTypeCompleter.class)
    String type;

    @Argument(index = 2, name = "name", description = "Service name (default: 'New <type> service')")
    String name;

    @Override
    protected Object run(String user) {
        ServiceInfo added = director.addService(user, app, type, name);
        out().println(ServiceWaiter.label(added) + " added (" + added.state() + ")");
        return null;
    }
}
