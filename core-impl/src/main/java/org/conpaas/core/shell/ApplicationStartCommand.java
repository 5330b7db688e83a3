package org.conpaas.core.shell;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.conpaas.api.model.ApplicationInfo;

@Service
@Command(scope = "cps", name = "application-start", description = "Start an application")
public class ApplicationStartCommand extends CpsApplicationAction {

    @Override
    protected Object run(String user) {
        ApplicationInfo started = director.startApplication(user, app);
        out().println("application " + started.id() + " '" + started.name() + "': " + started.state());
        return null;
    }
}
