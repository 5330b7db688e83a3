package org.conpaas.core.shell;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.conpaas.api.model.ServiceTypeInfo;

@Service
@Command(scope = "cps", name = "service-types", description = "List the installed service types")
public class ServiceTypesCommand extends CpsTableAction {

    @Override
    protected Object run(String user) {
        ShellTable table = new ShellTable();
        table.column("Type");
        table.column("Version");
        table.column("Roles (default first)");
        table.column("Starting nodes");
        table.column("Description");
        for (ServiceTypeInfo type : director.serviceTypes()) {
            StringBuilder roles = new StringBuilder(type.defaultRole());
            type.roles().stream().filter(r -> !r.equals(type.defaultRole())).forEach(r -> roles.append(' ').append(r));
            table.addRow().addContent(type.name(), Formats.text(type.version()), roles,
                    Formats.roles(type.startingNodes()), Formats.text(type.description()));
        }
        print(table);
        return null;
    }
}
