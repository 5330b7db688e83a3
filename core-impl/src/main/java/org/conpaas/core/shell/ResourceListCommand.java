package org.conpaas.core.shell;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "cps", name = "resource-list", description = "List every node you hold, across applications")
public class ResourceListCommand extends CpsTableAction {

    @Override
    protected Object run(String user) {
        print(Formats.nodesTable(director.resources(user)));
        return null;
    }
}
