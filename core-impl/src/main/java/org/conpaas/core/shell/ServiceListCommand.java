package org.conpaas.core.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "cps", name = "service-list", description = "List the services of an application")
public class ServiceListCommand extends CpsTableAction {

    @Argument(index = 0, name = "application", description = "Application id or name", required = true)
    @Completion(ApplicationCompleter.class)
    String app;

    @Override
    protected Object run(String user) {
        print(Formats.servicesTable(director.services(user, app)));
        return null;
    }
}
