package org.conpaas.core.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.conpaas.api.model.Charge;

@Service
@Command(scope = "cps", name = "user-charges", description = "Show the credit ledger, newest first: your own, or "
        + "any user's for an administrator")
public class UserChargesCommand extends CpsTableAction {

    @Argument(index = 0, name = "user", description = "Username (default: yourself)")
    String username;

    @Override
    protected Object run(String user) {
        ShellTable table = new ShellTable();
        table.column("Time");
        table.column("Amount").alignRight();
        table.column("Balance").alignRight();
        table.column("Reason");
        table.column("Node");
        table.column("App");
        table.column("Service");
        for (Charge c : director.charges(user, username == null ? user : username)) {
            table.addRow().addContent(Formats.text(c.time()), (c.amount() > 0 ? "+" : "") + c.amount(), c.balance(),
                    Formats.text(c.reason()), Formats.text(c.nodeId()), Formats.text(c.applicationId()),
                    Formats.text(c.serviceId()));
        }
        print(table);
        return null;
    }
}
