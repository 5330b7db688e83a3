package org.conpaas.core.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.conpaas.api.model.ServiceInfo;

@Service
@Command(scope = "cps", name = "volume-delete",
        description = "Detach a volume and delete it; its data is lost. Waits until done unless --no-wait")
public class VolumeDeleteCommand extends CpsWaitingAction {

    @Argument(index = 2, name = "name", description = "Volume name", required = true)
    String name;

    @Override
    protected Object run(String user) throws Exception {
        ServiceInfo started = director.deleteVolume(user, app, svc, name);
        out().println("Detaching volume '" + name + "' and deleting it...");
        followChange(user, started, () -> director.volumes(user, app, svc).stream()
                .noneMatch(v -> v.name().equals(name)));
        return null;
    }
}
