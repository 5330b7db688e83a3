package org.conpaas.core.shell;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.table.ShellTable;
import org.conpaas.api.ConpaasException;
import org.conpaas.api.director.Director;
import org.conpaas.core.internal.security.Callers;

/**
 * Base of the {@code cps:*} commands: a thin adapter over the director façade that acts as the caller and turns
 * a domain error into one clear sentence. It is a Karaf {@link CommandException}, which the console prints alone
 * (no stack trace) and which makes a batch ({@code bin/client -b}) stop with a failure.
 */
public abstract class CpsAction implements Action {

    @Reference
    Director director;

    @Reference
    Callers callers;

    /** Where the command writes; the session's stdout in Karaf (System.out is per session there). */
    PrintStream out() {
        return System.out;
    }

    PrintStream err() {
        return System.err;
    }

    /** Prints a table, or bare tab-separated rows for scripts. */
    void print(ShellTable table, boolean noFormat) {
        table.print(out(), !noFormat);
    }

    @Override
    public final Object execute() throws Exception {
        try {
            return run(callers.defaultUser());
        } catch (ConpaasException e) {
            String sentence = Sentences.of(e);
            throw new CommandException(sentence, sentence, e);
        }
    }

    protected abstract Object run(String user) throws Exception;
}
