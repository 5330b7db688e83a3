package org.conpaas.core.shell;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.conpaas.api.InvalidInputException;
import org.conpaas.api.model.ServiceInfo;

@Service
@Command(scope = "cps", name = "service-set", description = "Change a service's settings")
public class ServiceSetCommand extends CpsServiceAction {

    @Option(name = "--replace-failed-nodes", required = true,
            description = "on: a node whose agent stops answering is replaced by a new one of the same role; off: "
                    + "it is only marked FAILED")
    String replaceFailedNodes;

    @Override
    protected Object run(String user) {
        boolean replace = switch (replaceFailedNodes == null ? "" : replaceFailedNodes.toLowerCase()) {
            case "on", "true", "yes" -> true;
            case "off", "false", "no" -> false;
            default -> throw new InvalidInputException("--replace-failed-nodes takes on or off, not '"
                    + replaceFailedNodes + "'");
        };
        ServiceInfo changed = director.setReplaceFailedNodes(user, app, svc, replace);
        out().println(ServiceWaiter.label(changed) + ": failed nodes are "
                + (changed.replaceFailedNodes() ? "replaced" : "not replaced"));
        return null;
    }
}
