package org.conpaas.core.shell;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.table.ShellTable;
import org.conpaas.api.ConpaasException;
import org.conpaas.api.director.Director;
import org.conpaas.core.internal.accounts.Accounts;

/**
 * Base of the {@code cps:*} commands: a thin adapter over the director façade that acts as the logged-in user (or,
 * for an administrator, as the user named by {@code --user}) and turns a domain error into one clear sentence. It
 * is a Karaf {@link CommandException}, which the console prints alone (no stack trace) and which makes a batch
 * ({@code bin/client -b}) stop with a failure.
 */
public abstract class CpsAction implements Action {

    @Reference
    Director director;

    @Reference
    Accounts accounts;

    @Option(name = "--user", description = "Act for this user instead of yourself (administrators only)")
    String actAs;

    /** Replaced in tests; in Karaf the session's subject. */
    ShellUser loggedIn = ShellUser.SESSION;

    /** Whether the user at the keyboard (not the one acted for) is an administrator; set by {@link #execute()}. */
    private boolean administrator;

    /** Replaced in tests; null in Karaf, where System.out and System.err are the session's own streams. */
    PrintStream outStream;
    PrintStream errStream;

    /** Where the command writes: the session's stdout in Karaf. */
    PrintStream out() {
        return outStream != null ? outStream : System.out;
    }

    PrintStream err() {
        return errStream != null ? errStream : System.err;
    }

    /** Prints a table, or bare tab-separated rows for scripts. */
    void print(ShellTable table, boolean noFormat) {
        table.print(out(), !noFormat);
    }

    @Override
    public final Object execute() throws Exception {
        try {
            String user = actingUser(loggedIn.name(), actAs, accounts);
            administrator = accounts.isAdmin(loggedIn.name());
            return run(user);
        } catch (ConpaasException e) {
            String sentence = Sentences.of(e);
            throw new CommandException(sentence, sentence, e);
        }
    }

    /** The user a command acts as; refuses {@code --user} to everybody but administrators. */
    static String actingUser(String loggedIn, String actAs, Accounts accounts) throws CommandException {
        if (loggedIn == null) {
            throw failure("No user is logged in to this shell session.");
        }
        if (actAs == null || actAs.equals(loggedIn)) {
            return loggedIn;
        }
        if (!accounts.isAdmin(loggedIn)) {
            throw failure("Only administrators may act for another user with --user.");
        }
        if (accounts.find(actAs).isEmpty()) {
            throw failure("User " + actAs + " does not exist.");
        }
        return actAs;
    }

    /** Files on the director's host: administrators only, whoever the command acts for. */
    DirectorHostFiles hostFiles(Session session) {
        return new DirectorHostFiles(administrator, session == null ? null : session.currentDir());
    }

    static CommandException failure(String sentence) {
        return new CommandException(sentence, sentence);
    }

    protected abstract Object run(String user) throws Exception;
}
