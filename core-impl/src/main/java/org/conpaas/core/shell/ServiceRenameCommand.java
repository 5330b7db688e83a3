package org.conpaas.core.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.conpaas.api.model.ServiceInfo;

@Service
@Command(scope = "cps", name = "service-rename", description = "Rename a service")
public class ServiceRenameCommand extends CpsServiceAction {

    @Argument(index = 2, name = "new-name", description = "The new name", required = true)
    String newName;

    @Override
    protected Object run(String user) {
        ServiceInfo renamed = director.renameService(user, app, svc, newName);
        out().println("service " + renamed.id() + " renamed to '" + renamed.name() + "'");
        return null;
    }
}
