package org.conpaas.core.shell;

import java.util.stream.Collectors;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.conpaas.api.model.OperationDescriptor;

@Service
@Command(scope = "cps", name = "operation-list", description = "List the operations a service offers")
public class OperationListCommand extends CpsServiceAction {

    @Option(name = "--no-format", description = CpsTableAction.NO_FORMAT)
    boolean noFormat;

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
        print(table, noFormat);
        return null;
    }
}
