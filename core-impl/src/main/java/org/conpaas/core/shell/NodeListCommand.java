package org.conpaas.core.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "cps", name = "node-list", description = "List the nodes of a service")
public class NodeListCommand extends CpsTableAction {

    @Argument(index = 0, name = "application", description = "Application id or name", required = true)
    @Completion(ApplicationCompleter.class)
    String app;

    @Argument(index = 1, name = "service", description = "Service id or name", required = true)
    @Completion(ServiceCompleter.class)
    String svc;

    @Override
    protected Object run(String user) {
        print(Formats.nodesTable(director.nodes(user, app, svc)));
        return null;
    }
}
