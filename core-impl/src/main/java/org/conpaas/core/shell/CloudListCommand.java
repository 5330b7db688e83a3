package org.conpaas.core.shell;

import java.util.TreeSet;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.conpaas.api.model.CloudInfo;

@Service
@Command(scope = "cps", name = "cloud-list", description = "List the configured clouds")
public class CloudListCommand extends CpsTableAction {

    @Override
    protected Object run(String user) {
        ShellTable table = new ShellTable();
        table.column("Name");
        table.column("Type");
        table.column("Capabilities");
        table.column("Status");
        for (CloudInfo cloud : director.clouds()) {
            table.addRow().addContent(cloud.name(), cloud.type(),
                    cloud.capabilities().isEmpty() ? "-" : String.join(" ", new TreeSet<>(cloud.capabilities())),
                    cloud.available() ? "available" : "unavailable: " + cloud.unavailableReason());
        }
        print(table);
        return null;
    }
}
