package org.conpaas.service.helloworld;

import java.util.List;
import java.util.Map;
import org.conpaas.api.model.OperationDescriptor;
import org.conpaas.api.service.ServiceContext;
import org.conpaas.api.service.ServiceManager;
import org.conpaas.api.service.ServiceType;
import org.osgi.service.component.annotations.Component;

/** The helloworld service type: the smallest complete example of a ConPaaS service. */
@Component(service = ServiceType.class, property = ServiceType.PROPERTY + "=" + HelloWorldServiceType.NAME)
public class HelloWorldServiceType implements ServiceType {

    public static final String NAME = "helloworld";
    public static final String ROLE = "node";
    public static final String GET_HELLOWORLD = "get_helloworld";

    private static final List<OperationDescriptor> OPERATIONS = List.of(
            new OperationDescriptor(GET_HELLOWORLD, "Ask every node for its string", List.of(), true));

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Hello world: every node answers with the service's configured string";
    }

    @Override
    public List<String> roles() {
        return List.of(ROLE);
    }

    @Override
    public String defaultRole() {
        return ROLE;
    }

    @Override
    public Map<String, Integer> startingNodes() {
        return Map.of(ROLE, 1);
    }

    @Override
    public List<OperationDescriptor> operations() {
        return OPERATIONS;
    }

    @Override
    public ServiceManager createManager(ServiceContext context) {
        return new HelloWorldManager(context);
    }
}
