package org.conpaas.core.shell;

import java.util.Collection;
import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.conpaas.api.ConpaasException;
import org.conpaas.api.director.Director;
import org.conpaas.core.internal.security.Callers;

/** Base of the completers: offers candidates from the director; offers nothing when the lookup fails. */
public abstract class CpsCompleter implements Completer {

    @Reference
    Director director;

    @Reference
    Callers callers;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        Collection<String> values;
        try {
            values = candidates(callers.defaultUser(), PositionalArguments.before(commandLine));
        } catch (ConpaasException e) {
            return -1; // e.g. the application typed earlier does not exist: nothing to offer
        }
        return new StringsCompleter(values).complete(session, commandLine, candidates);
    }

    /** @param earlier the positional arguments before the one being completed */
    abstract Collection<String> candidates(String user, List<String> earlier);
}
