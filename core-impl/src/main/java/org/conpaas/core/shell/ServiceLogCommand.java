package org.conpaas.core.shell;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "cps", name = "service-log", description = "Show a service manager's log")
public class ServiceLogCommand extends CpsServiceAction {

    @Option(name = "--tail", description = "Only the last N lines (0 = all)")
    int tail;

    @Override
    protected Object run(String user) {
        out().print(director.managerLog(user, app, svc, Math.max(0, tail)));
        out().flush();
        return null;
    }
}
