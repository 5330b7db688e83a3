package org.conpaas.core.shell;

import java.util.stream.Collectors;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.conpaas.api.model.OperationDescriptor;

@Service
@Command(scope = "cps", name = "operation-list", description = "List the operations a service offers")
public class OperationListCommand extends CpsTableAction {

    @Argument(index = 0, name = "application", description = "Application id or name", required = true)
    @Completion(ApplicationCompleter.class)
    String app;

    @Argument(index = 1, name = "service", description = "Service id or name", required = true)
    @Completion(ServiceCompleter.class)
    String svc;

    @Override
    protected Object run(String user) {
        ShellTable table = new ShellTable();
        table.column("Operation");
        table.column("Parameters");
        table.column("Read-only");
        table.column("Description");
        for (OperationDescriptor op : director.operations(user, app, svc)) {
            String params = op.parameters().stream()
                    .map(p -> p.name() + ":" + p.type() + (p.required() ? "" : "?"))
                    .collect(Collectors.joining(" "));
            table.addRow().addContent(op.name(), params.isEmpty() ? "-" : params, op.readOnly() ? "yes" : "no",
                    Formats.text(op.description()));
        }
        print(table);
        return null;
    }
}
