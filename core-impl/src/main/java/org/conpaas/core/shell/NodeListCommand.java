package org.conpaas.core.shell;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "cps", name = "node-list", description = "List the nodes of a service")
public class NodeListCommand extends CpsServiceAction {

    @Option(name = "--no-format", description = CpsTableAction.NO_FORMAT)
    boolean noFormat;

    @Override
    protected Object run(String user) {
        print(Formats.nodesTable(director.nodes(user, app, svc)), noFormat);
        return null;
    }
}
