package org.conpaas.core.shell;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.conpaas.api.model.UserInfo;

@Service
@Command(scope = "cps", name = "user-list", description = "List the users (administrators only)")
public class UserListCommand extends CpsTableAction {

    @Override
    protected Object run(String user) {
        ShellTable table = new ShellTable();
        table.column("Username");
        table.column("Email");
        table.column("Name");
        table.column("Affiliation");
        table.column("Credit").alignRight();
        table.column("Roles");
        table.column("Created");
        for (UserInfo u : director.users(user)) {
            table.addRow().addContent(u.username(), Formats.text(u.email()), name(u), Formats.text(u.affiliation()),
                    u.credit(), String.join(",", u.roles()), Formats.text(u.created()));
        }
        print(table);
        return null;
    }

    private static String name(UserInfo u) {
        String name = ((u.firstName() == null ? "" : u.firstName()) + " "
                + (u.lastName() == null ? "" : u.lastName())).strip();
        return name.isEmpty() ? "-" : name;
    }
}
