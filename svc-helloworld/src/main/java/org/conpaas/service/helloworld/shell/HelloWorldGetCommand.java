package org.conpaas.service.helloworld.shell;

import java.util.Map;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.conpaas.service.support.shell.ServiceCommand;
import org.conpaas.service.helloworld.HelloWorldServiceType;

/** {@code cps:helloworld-get <application> <service>}: prints what every node of the service answers. */
@Service
@Command(scope = "cps", name = "helloworld-get", description = "Asks every node of a helloworld service for its string")
public class HelloWorldGetCommand extends ServiceCommand {

    @Override
    public Object execute() {
        Object result = call(HelloWorldServiceType.GET_HELLOWORLD, Map.of());
        System.out.println(render(result));
        return null;
    }

    /** The manager answers {helloworld: "Received ... from node-1\n..."}; anything else is printed as is. */
    static String render(Object result) {
        if (result instanceof Map<?, ?> map && map.get("helloworld") != null) {
            return String.valueOf(map.get("helloworld"));
        }
        return String.valueOf(result);
    }
}
