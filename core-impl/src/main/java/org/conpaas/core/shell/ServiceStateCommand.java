package org.conpaas.core.shell;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.conpaas.api.model.ServiceInfo;

@Service
@Command(scope = "cps", name = "service-state", description = "Show a service's state and node counts")
public class ServiceStateCommand extends CpsServiceAction {

    @Override
    protected Object run(String user) {
        ServiceInfo info = director.service(user, app, svc);
        out().println(ServiceWaiter.label(info) + ": " + info.state()
                + (info.stateReason() == null ? "" : " (" + info.stateReason() + ")"));
        out().println("  type:  " + info.type() + (info.typeInstalled() ? "" : " (not installed)"));
        out().println("  cloud: " + Formats.text(info.cloud()));
        out().println("  nodes: " + Formats.roles(info.nodes()));
        out().println("  replace failed nodes: " + (info.replaceFailedNodes() ? "on" : "off"));
        if (info.url() != null) {
            out().println("  url:   " + info.url());
        }
        return null;
    }
}
