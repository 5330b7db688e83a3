package org.conpaas.core.shell;

import java.util.Collection;
import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Service;

/** Completes the services of the application given as the first argument. */
@Service
public class ServiceCompleter extends CpsCompleter {

    @Override
    Collection<String> candidates(String user, List<String> earlier) {
        return earlier.isEmpty() ? List.of() : director.services(user, earlier.get(0)).stream().map(s -> s.name()).toList();
    }
}
