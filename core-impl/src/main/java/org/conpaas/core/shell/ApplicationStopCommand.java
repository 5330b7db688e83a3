package org.conpaas.core.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.conpaas.api.model.ApplicationInfo;

@Service
@Command(scope = "cps", name = "application-stop", description = "Stop an application and all its services, releasing their nodes")
public class ApplicationStopCommand extends CpsAction {

    @Argument(index = 0, name = "application", description = "Application id or name", required = true)
    @Completion(ApplicationCompleter.class)
    String app;

    @Override
    protected Object run(String user) {
        ApplicationInfo stopped = director.stopApplication(user, app);
        out().println("application " + stopped.id() + " '" + stopped.name() + "': " + stopped.state());
        return null;
    }
}
