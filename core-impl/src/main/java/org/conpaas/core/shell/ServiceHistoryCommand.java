package org.conpaas.core.shell;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.conpaas.api.model.StateChange;

@Service
@Command(scope = "cps", name = "service-history", description = "Show a service's state changes, oldest first")
public class ServiceHistoryCommand extends CpsServiceAction {

    @Option(name = "--no-format", description = CpsTableAction.NO_FORMAT)
    boolean noFormat;

    @Override
    protected Object run(String user) {
        ShellTable table = new ShellTable();
        table.column("Time");
        table.column("State");
        table.column("Reason");
        for (StateChange change : director.history(user, app, svc)) {
            table.addRow().addContent(Formats.text(change.time()), change.state(), Formats.text(change.reason()));
        }
        print(table, noFormat);
        return null;
    }
}
