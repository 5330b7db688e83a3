package org.conpaas.core.shell;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "cps", name = "service-start", description = "Start a service; waits until it settles unless --no-wait")
public class ServiceStartCommand extends CpsWaitingAction {

    @Option(name = "--cloud", description = "Cloud to start the nodes on (default: the director's default cloud)")
    @Completion(CloudCompleter.class)
    String cloud;

    @Override
    protected Object run(String user) {
        return report(user, director.startService(user, app, svc, cloud));
    }
}
