package org.conpaas.core.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "cps", name = "service-log", description = "Show a service manager's log")
public class ServiceLogCommand extends CpsAction {

    @Argument(index = 0, name = "application", description = "Application id or name", required = true)
    @Completion(ApplicationCompleter.class)
    String app;

    @Argument(index = 1, name = "service", description = "Service id or name", required = true)
    @Completion(ServiceCompleter.class)
    String svc;

    @Option(name = "--tail", description = "Only the last N lines (0 = all)")
    int tail;

    @Override
    protected Object run(String user) {
        out().print(director.managerLog(user, app, svc, Math.max(0, tail)));
        out().flush();
        return null;
    }
}
