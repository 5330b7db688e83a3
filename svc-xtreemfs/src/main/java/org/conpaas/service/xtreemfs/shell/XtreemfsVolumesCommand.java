package org.conpaas.service.xtreemfs.shell;

import java.util.List;
import java.util.Map;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.conpaas.service.support.shell.ServiceCommand;
import org.conpaas.service.xtreemfs.XtreemfsServiceType;

/** {@code cps:xtreemfs-volumes <application> <service>}: listVolumes as a table. */
@Service
@Command(scope = "cps", name = "xtreemfs-volumes", description = "Lists the volumes of an xtreemfs service")
public class XtreemfsVolumesCommand extends ServiceCommand {

    @Override
    public Object execute() {
        System.out.print(render(call(XtreemfsServiceType.LIST_VOLUMES, Map.of())));
        return null;
    }

    static String render(Object result) {
        String format = "%-24s  %-16s  %-8s  %s%n";
        StringBuilder out = new StringBuilder(String.format(format, "Volume", "Owner", "Copies", "Mount"));
        if (result instanceof Map<?, ?> map && map.get("volumes") instanceof List<?> list) {
            for (Object item : list) {
                Map<?, ?> v = (Map<?, ?>) item;
                out.append(String.format(format, v.get("name"), v.get("owner"), v.get("replicationFactor"),
                        v.get("mount")));
            }
        }
        return out.toString();
    }
}
