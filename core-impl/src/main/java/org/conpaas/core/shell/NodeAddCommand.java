package org.conpaas.core.shell;

import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.conpaas.api.cloud.NodeSize;
import org.conpaas.api.model.ServiceInfo;

@Service
@Command(scope = "cps", name = "node-add", description = "Add nodes to a running service; waits unless --no-wait")
public class NodeAddCommand extends CpsWaitingAction {

    @Argument(index = 2, name = "roles", multiValued = true, required = true,
            description = "role=count arguments; a bare number counts nodes of the type's default role")
    List<String> roles;

    @Option(name = "--cloud", description = "Cloud to start the nodes on")
    @Completion(CloudCompleter.class)
    String cloud;

    @Option(name = "--memory", description = "Memory of each new node in MB, where the cloud sizes nodes per request "
            + "(LXC)")
    Integer memoryMb;

    @Option(name = "--cpu-shares", description = "CPU weight of each new node (cgroup shares, 1024 = one ordinary "
            + "process), where the cloud sizes nodes per request (LXC)")
    Integer cpuShares;

    @Override
    protected Object run(String user) {
        ServiceInfo service = director.service(user, app, svc);
        var counts = RoleCounts.parse(roles, DefaultRoles.of(director, service));
        return report(user, director.addNodes(user, app, svc, counts, cloud, new NodeSize(memoryMb, cpuShares)));
    }
}
