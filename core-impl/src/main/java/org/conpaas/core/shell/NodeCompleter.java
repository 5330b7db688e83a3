package org.conpaas.core.shell;

import java.util.Collection;
import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Service;

/** Completes the nodes of the service given as the second argument (after its application). */
@Service
public class NodeCompleter extends CpsCompleter {

    @Override
    Collection<String> candidates(String user, List<String> earlier) {
        return earlier.size() < 2 ? List.of() : director.nodes(user, earlier.get(0), earlier.get(1)).stream().map(n -> n.id()).toList();
    }
}
