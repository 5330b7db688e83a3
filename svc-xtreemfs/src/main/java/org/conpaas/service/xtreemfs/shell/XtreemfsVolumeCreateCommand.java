package org.conpaas.service.xtreemfs.shell;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.conpaas.service.support.shell.ServiceCommand;
import org.conpaas.service.xtreemfs.XtreemfsServiceType;

/** {@code cps:xtreemfs-volume-create <application> <service> <volume> [owner]}: createVolume. */
@Service
@Command(scope = "cps", name = "xtreemfs-volume-create", description = "Creates a volume of an xtreemfs service")
public class XtreemfsVolumeCreateCommand extends ServiceCommand {

    @Argument(index = 2, name = "volume", required = true, description = "The volume's name")
    String volume;

    @Argument(index = 3, name = "owner", description = "Who the volume is for")
    String owner;

    @Override
    public Object execute() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put(XtreemfsServiceType.VOLUME_NAME, volume);
        if (owner != null) {
            params.put(XtreemfsServiceType.OWNER, owner);
        }
        Object result = call(XtreemfsServiceType.CREATE_VOLUME, params);
        Object mount = result instanceof Map<?, ?> m ? m.get("mount") : result;
        System.out.println("Volume " + volume + " created; mount it with: " + mount);
        return null;
    }
}
