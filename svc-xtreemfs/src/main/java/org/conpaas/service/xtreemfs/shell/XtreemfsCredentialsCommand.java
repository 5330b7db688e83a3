package org.conpaas.service.xtreemfs.shell;

import java.util.Map;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.conpaas.service.support.shell.ServiceCommand;
import org.conpaas.service.xtreemfs.XtreemfsServiceType;

/** {@code cps:xtreemfs-client-cert <application> <service>}: get_client_cert, one mount command per volume. */
@Service
@Command(scope = "cps", name = "xtreemfs-client-cert", description = "Prints how to mount each volume of an "
        + "xtreemfs service (MooseFS has no certificates: the volumes' passwords)")
public class XtreemfsCredentialsCommand extends ServiceCommand {

    @Override
    public Object execute() {
        System.out.print(render(call(XtreemfsServiceType.GET_CLIENT_CERT, Map.of())));
        return null;
    }

    static String render(Object result) {
        StringBuilder out = new StringBuilder();
        if (result instanceof Map<?, ?> map) {
            out.append(map.get("note")).append('\n');
            if (map.get("volumes") instanceof Map<?, ?> volumes) {
                volumes.forEach((name, v) -> out.append(name).append(": ")
                        .append(v instanceof Map<?, ?> m ? m.get("mount") : v).append('\n'));
            }
        }
        return out.toString();
    }
}
