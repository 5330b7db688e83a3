package org.conpaas.core.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "cps", name = "code-delete", description = "Delete a code version (not the active one)")
public class CodeDeleteCommand extends CpsServiceAction {

    @Argument(index = 2, name = "version", description = "Code version id (code-XXXXXX)", required = true)
    String version;

    @Override
    protected Object run(String user) {
        director.deleteCode(user, app, svc, version);
        out().println("deleted code version " + version);
        return null;
    }
}
