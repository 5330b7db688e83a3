package org.conpaas.core.shell;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.conpaas.api.model.ApplicationInfo;

@Service
@Command(scope = "cps", name = "application-list", description = "List your applications")
public class ApplicationListCommand extends CpsTableAction {

    @Override
    protected Object run(String user) {
        ShellTable table = new ShellTable();
        table.column("Id");
        table.column("Name");
        table.column("State");
        table.column("Created");
        for (ApplicationInfo app : director.applications(user)) {
            table.addRow().addContent(app.id(), app.name(), app.state(), Formats.text(app.created()));
        }
        print(table);
        return null;
    }
}
