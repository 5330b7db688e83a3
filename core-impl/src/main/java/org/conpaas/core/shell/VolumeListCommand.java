package org.conpaas.core.shell;

import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.conpaas.api.model.VolumeInfo;

@Service
@Command(scope = "cps", name = "volume-list", description = "List a service's storage volumes")
public class VolumeListCommand extends CpsServiceAction {

    @Option(name = "--no-format", description = CpsTableAction.NO_FORMAT)
    boolean noFormat;

    @Override
    protected Object run(String user) {
        List<VolumeInfo> volumes = director.volumes(user, app, svc);
        if (volumes.isEmpty()) {
            out().println("No existing storage volumes.");
            return null;
        }
        ShellTable table = new ShellTable();
        table.column("Name");
        table.column("Size (MB)");
        table.column("Node");
        table.column("Cloud");
        table.column("Path");
        table.column("Created");
        for (VolumeInfo v : volumes) {
            table.addRow().addContent(v.name(), v.sizeMb(), v.node(), v.cloud(), v.path(), v.created());
        }
        print(table, noFormat);
        return null;
    }
}
