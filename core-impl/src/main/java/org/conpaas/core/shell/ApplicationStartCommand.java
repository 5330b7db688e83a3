package org.conpaas.core.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.conpaas.api.model.ApplicationInfo;

@Service
@Command(scope = "cps", name = "application-start", description = "Start an application")
public class ApplicationStartCommand extends CpsAction {

    @Argument(index = 0, name = "application", description = "Application id or name", required = true)
    @Completion(ApplicationCompleter.class)
    String app;

    @Override
    protected Object run(String user) {
        ApplicationInfo started = director.startApplication(user, app);
        out().println("application " + started.id() + " '" + started.name() + "': " + started.state());
        return null;
    }
}
