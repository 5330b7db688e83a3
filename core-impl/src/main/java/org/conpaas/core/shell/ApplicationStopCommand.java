package org.conpaas.core.shell;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.conpaas.api.model.ApplicationInfo;

@Service
@Command(scope = "cps", name = "application-stop", description = "Stop an application and all its services, releasing their nodes")
public class ApplicationStopCommand extends CpsApplicationAction {

    @Override
    protected Object run(String user) {
        ApplicationInfo stopped = director.stopApplication(user, app);
        out().println("application " + stopped.id() + " '" + stopped.name() + "': " + stopped.state());
        return null;
    }
}
