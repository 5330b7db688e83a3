package org.conpaas.core.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.conpaas.api.model.ServiceInfo;

@Service
@Command(scope = "cps", name = "volume-create",
        description = "Create a storage volume and attach it to a node; waits until it is mounted unless --no-wait")
public class VolumeCreateCommand extends CpsWaitingAction {

    @Argument(index = 2, name = "name", description = "Volume name (letters, digits, '-' and '_')", required = true)
    String name;

    @Argument(index = 3, name = "sizeMb", description = "Size in MB", required = true)
    int sizeMb;

    @Argument(index = 4, name = "node", description = "Node id to attach it to", required = true)
    @Completion(NodeCompleter.class)
    String node;

    @Override
    protected Object run(String user) throws Exception {
        ServiceInfo started = director.createVolume(user, app, svc, name, sizeMb, node);
        out().println("Creating volume '" + name + "' and attaching it to node '" + node + "'...");
        followChange(user, started, () -> director.volumes(user, app, svc).stream()
                .anyMatch(v -> v.name().equals(name)));
        return null;
    }
}
