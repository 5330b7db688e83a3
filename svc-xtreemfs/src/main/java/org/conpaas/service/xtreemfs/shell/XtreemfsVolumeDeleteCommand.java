package org.conpaas.service.xtreemfs.shell;

import java.util.Map;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.conpaas.service.support.shell.ServiceCommand;
import org.conpaas.service.xtreemfs.XtreemfsServiceType;

/** {@code cps:xtreemfs-volume-delete <application> <service> <volume>}: deleteVolume. */
@Service
@Command(scope = "cps", name = "xtreemfs-volume-delete", description = "Deletes a volume of an xtreemfs service "
        + "with every file in it")
public class XtreemfsVolumeDeleteCommand extends ServiceCommand {

    @Argument(index = 2, name = "volume", required = true, description = "The volume's name")
    String volume;

    @Override
    public Object execute() {
        call(XtreemfsServiceType.DELETE_VOLUME, Map.of(XtreemfsServiceType.VOLUME_NAME, volume));
        System.out.println("Volume " + volume + " deleted.");
        return null;
    }
}
