package org.conpaas.core.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Completion;

/** A command about one service, named by the application and the service arguments. */
public abstract class CpsServiceAction extends CpsApplicationAction {

    @Argument(index = 1, name = "service", description = "Service id or name", required = true)
    @Completion(ServiceCompleter.class)
    String svc;
}
