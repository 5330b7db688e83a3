package org.conpaas.core.shell;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.conpaas.api.model.CodeVersionInfo;

@Service
@Command(scope = "cps", name = "code-list", description = "List a service's code versions, newest first")
public class CodeListCommand extends CpsServiceAction {

    @Option(name = "--no-format", description = CpsTableAction.NO_FORMAT)
    boolean noFormat;

    @Override
    protected Object run(String user) {
        ShellTable table = new ShellTable();
        table.column("Version");
        table.column("Active");
        table.column("File");
        table.column("Size");
        table.column("Uploaded");
        table.column("Description");
        for (CodeVersionInfo v : director.codeVersions(user, app, svc)) {
            table.addRow().addContent(v.id(), v.active() ? "*" : "", v.fileName(), v.sizeBytes(), v.uploaded(),
                    Formats.text(v.description()));
        }
        print(table, noFormat);
        return null;
    }
}
