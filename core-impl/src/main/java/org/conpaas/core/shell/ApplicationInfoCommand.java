package org.conpaas.core.shell;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.conpaas.api.model.ApplicationInfo;

@Service
@Command(scope = "cps", name = "application-info", description = "Show an application and its services")
public class ApplicationInfoCommand extends CpsApplicationAction {

    @Option(name = "--no-format", description = CpsTableAction.NO_FORMAT)
    boolean noFormat;

    @Override
    protected Object run(String user) {
        ApplicationInfo info = director.application(user, app);
        out().println("Application " + info.id() + " '" + info.name() + "'");
        out().println("  state:   " + info.state());
        out().println("  owner:   " + info.owner());
        out().println("  created: " + Formats.text(info.created()));
        out().println();
        print(Formats.servicesTable(director.services(user, app)), noFormat);
        return null;
    }
}
