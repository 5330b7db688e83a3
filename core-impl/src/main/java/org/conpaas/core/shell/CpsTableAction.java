package org.conpaas.core.shell;

import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.support.table.ShellTable;

/** A command that prints a table; {@code --no-format} prints bare tab-separated rows for scripts. */
public abstract class CpsTableAction extends CpsAction {

    /** The help of {@code --no-format}, also declared by table commands that name an application or service. */
    static final String NO_FORMAT = "Print tab-separated rows without headers or padding";

    @Option(name = "--no-format", description = NO_FORMAT)
    boolean noFormat;

    void print(ShellTable table) {
        print(table, noFormat);
    }
}
