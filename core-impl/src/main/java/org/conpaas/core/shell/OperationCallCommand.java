package org.conpaas.core.shell;

import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.conpaas.api.NotFoundException;
import org.conpaas.api.model.OperationDescriptor;
import org.conpaas.core.rest.ParameterConversion;

@Service
@Command(scope = "cps", name = "operation-call", description = "Call a service-specific operation with name=value parameters (name=@/path for files)")
public class OperationCallCommand extends CpsServiceAction {

    @Argument(index = 2, name = "operation", description = "Operation name, see cps:operation-list", required = true)
    String operation;

    @Argument(index = 3, name = "parameters", multiValued = true,
            description = "name=value per parameter; name=@/path/to/file for file parameters")
    List<String> parameters;

    @Reference(optional = true)
    Session session;

    @Override
    protected Object run(String user) throws Exception {
        OperationDescriptor descriptor = ParameterConversion.find(director.operations(user, app, svc), operation)
                .orElseThrow(() -> new NotFoundException("the service has no operation " + operation
                        + " (see cps:operation-list)"));
        OperationArguments arguments = OperationArguments.parse(parameters, descriptor, hostFiles(session));
        Object result = director.invoke(user, app, svc, operation, arguments.params(), arguments.files());
        out().println(result == null ? operation + ": done" : Formats.operationResult(result));
        return null;
    }
}
