package org.conpaas.core.shell;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "cps", name = "service-list", description = "List the services of an application")
public class ServiceListCommand extends CpsApplicationAction {

    @Option(name = "--no-format", description = CpsTableAction.NO_FORMAT)
    boolean noFormat;

    @Override
    protected Object run(String user) {
        print(Formats.servicesTable(director.services(user, app)), noFormat);
        return null;
    }
}
