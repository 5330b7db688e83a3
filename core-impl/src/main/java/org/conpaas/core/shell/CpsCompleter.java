package org.conpaas.core.shell;

import java.util.Collection;
import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.conpaas.api.ConpaasException;
import org.conpaas.api.director.Director;
import org.conpaas.core.internal.accounts.Accounts;

/** Base of the completers: offers candidates from the director; offers nothing when the lookup fails. */
public abstract class CpsCompleter implements Completer {

    @Reference
    Director director;

    @Reference
    Accounts accounts;

    /** Replaced in tests; in Karaf the session's subject. */
    ShellUser loggedIn = ShellUser.SESSION;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        Collection<String> values;
        try {
            values = candidates(CpsAction.actingUser(loggedIn.name(), actAs(commandLine), accounts),
                    PositionalArguments.before(commandLine));
        } catch (ConpaasException | CommandException e) {
            return -1; // e.g. the application typed earlier does not exist: nothing to offer
        }
        return new StringsCompleter(values).complete(session, commandLine, candidates);
    }

    /** The value of {@code --user} typed so far, so an administrator completes that user's names. */
    private static String actAs(CommandLine commandLine) {
        String[] words = commandLine.getArguments();
        for (int i = 0; i + 1 < commandLine.getCursorArgumentIndex() && i + 1 < words.length; i++) {
            if (words[i].equals("--user")) {
                return words[i + 1];
            }
        }
        return null;
    }

    /** @param earlier the positional arguments before the one being completed */
    abstract Collection<String> candidates(String user, List<String> earlier);
}
