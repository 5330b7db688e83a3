package org.conpaas.core.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "cps", name = "node-log", description = "Show a log of a node (the agent's own log unless a file is named)")
public class NodeLogCommand extends CpsServiceAction {

    @Argument(index = 2, name = "node", description = "Node id", required = true)
    @Completion(NodeCompleter.class)
    String node;

    @Argument(index = 3, name = "file", description = "Log file name (default: the agent's log)")
    String file;

    @Option(name = "--tail", description = "Only the last N lines (0 = all)")
    int tail;

    @Override
    protected Object run(String user) {
        out().print(director.nodeLog(user, app, svc, node, file, Math.max(0, tail)));
        out().flush();
        return null;
    }
}
