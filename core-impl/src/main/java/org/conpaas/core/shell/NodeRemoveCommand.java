package org.conpaas.core.shell;

import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.conpaas.api.InvalidInputException;
import org.conpaas.api.model.ServiceInfo;

@Service
@Command(scope = "cps", name = "node-remove", description = "Remove nodes from a running service, by counts per role "
        + "(the service chooses which) or by node ids; waits unless --no-wait")
public class NodeRemoveCommand extends CpsWaitingAction {

    @Argument(index = 2, name = "nodes", multiValued = true, required = true,
            description = "role=count arguments (a bare number counts nodes of the type's default role), or node ids "
                    + "such as node-3")
    List<String> nodes;

    @Override
    protected Object run(String user) {
        if (nodes.stream().noneMatch(NodeRemoveCommand::isCount)) {
            return report(user, director.removeChosenNodes(user, app, svc, nodes));
        }
        if (!nodes.stream().allMatch(NodeRemoveCommand::isCount)) {
            throw new InvalidInputException("nodes", "give either role=count arguments or node ids, not both");
        }
        ServiceInfo service = director.service(user, app, svc);
        var counts = RoleCounts.parse(nodes, DefaultRoles.of(director, service));
        return report(user, director.removeNodes(user, app, svc, counts));
    }

    /** {@code role=count} or a bare number; anything else names a node. */
    private static boolean isCount(String argument) {
        return argument.indexOf('=') >= 0 || argument.strip().matches("-?\\d+");
    }
}
