package org.conpaas.core.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.conpaas.api.model.ApplicationInfo;

@Service
@Command(scope = "cps", name = "application-rename", description = "Rename an application")
public class ApplicationRenameCommand extends CpsApplicationAction {

    @Argument(index = 1, name = "new-name", description = "The new name", required = true)
    String newName;

    @Override
    protected Object run(String user) {
        ApplicationInfo renamed = director.renameApplication(user, app, newName);
        out().println("application " + renamed.id() + " renamed to '" + renamed.name() + "'");
        return null;
    }
}
