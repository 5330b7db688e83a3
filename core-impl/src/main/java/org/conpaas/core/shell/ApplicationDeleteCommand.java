package org.conpaas.core.shell;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.conpaas.api.model.ApplicationInfo;

@Service
@Command(scope = "cps", name = "application-delete", description = "Delete an application")
public class ApplicationDeleteCommand extends CpsApplicationAction {

    @Override
    protected Object run(String user) {
        ApplicationInfo doomed = director.application(user, app);
        director.deleteApplication(user, app);
        out().println("application " + doomed.id() + " '" + doomed.name() + "' deleted");
        return null;
    }
}
