package org.conpaas.core.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.conpaas.api.model.ApplicationInfo;

@Service
@Command(scope = "cps", name = "application-delete", description = "Delete an application")
public class ApplicationDeleteCommand extends CpsAction {

    @Argument(index = 0, name = "application", description = "Application id or name", required = true)
    @Completion(ApplicationCompleter.class)
    String app;

    @Override
    protected Object run(String user) {
        ApplicationInfo doomed = director.application(user, app);
        director.deleteApplication(user, app);
        out().println("application " + doomed.id() + " '" + doomed.name() + "' deleted");
        return null;
    }
}
