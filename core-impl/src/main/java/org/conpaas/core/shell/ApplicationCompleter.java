package org.conpaas.core.shell;

import java.util.Collection;
import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Service;

/** Completes the caller's application names. */
@Service
public class ApplicationCompleter extends CpsCompleter {

    @Override
    Collection<String> candidates(String user, List<String> earlier) {
        return director.applications(user).stream().map(a -> a.name()).toList();
    }
}
