package org.conpaas.core.shell;

import java.util.Collection;
import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Service;

/** Completes the configured clouds. */
@Service
public class CloudCompleter extends CpsCompleter {

    @Override
    Collection<String> candidates(String user, List<String> earlier) {
        return director.clouds().stream().map(c -> c.name()).toList();
    }
}
