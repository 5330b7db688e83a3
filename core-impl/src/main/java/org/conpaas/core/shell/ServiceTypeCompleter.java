package org.conpaas.core.shell;

import java.util.Collection;
import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Service;

/** Completes the installed service types. */
@Service
public class ServiceTypeCompleter extends CpsCompleter {

    @Override
    Collection<String> candidates(String user, List<String> earlier) {
        return director.serviceTypes().stream().map(t -> t.name()).toList();
    }
}
