package org.conpaas.core.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.conpaas.api.model.ApplicationInfo;

@Service
@Command(scope = "cps", name = "application-create", description = "Create an application")
public class ApplicationCreateCommand extends CpsAction {

    @Argument(index = 0, name = "name", description = "A name unique among your applications", required = true)
    String name;

    @Override
    protected Object run(String user) {
        ApplicationInfo app = director.createApplication(user, name);
        out().println("application " + app.id() + " '" + app.name() + "' created (" + app.state() + ")");
        return null;
    }
}
