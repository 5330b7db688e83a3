package org.conpaas.core.shell;

import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.support.table.ShellTable;

/** A command that prints a table; {@code --no-format} prints bare tab-separated rows for scripts. */
public abstract class CpsTableAction extends CpsAction {

    @Option(name = "--no-format", description = "Print tab-separated rows without headers or padding")
    boolean noFormat;

    void print(ShellTable table) {
        table.print(out(), !noFormat);
    }
}
