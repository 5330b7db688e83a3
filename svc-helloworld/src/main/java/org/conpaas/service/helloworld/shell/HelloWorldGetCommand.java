package org.conpaas.service.helloworld.shell;

import java.util.Map;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.conpaas.api.director.Director;
import org.conpaas.api.director.SessionUser;
import org.conpaas.service.helloworld.HelloWorldServiceType;

/** {@code cps:helloworld-get <application> <service>}: prints what every node of the service answers. */
@Service
@Command(scope = "cps", name = "helloworld-get", description = "Asks every node of a helloworld service for its string")
public class HelloWorldGetCommand implements Action {

    @Reference
    Director director;

    /** Acts as whoever logged in to the shell, like the director's own cps commands. */
    @Reference
    SessionUser user;

    @Argument(index = 0, name = "application", required = true, description = "The application's id or name")
    String application;

    @Argument(index = 1, name = "service", required = true, description = "The service's id or name")
    String service;

    @Override
    public Object execute() {
        Object result = director.invoke(user.name(), application, service, HelloWorldServiceType.GET_HELLOWORLD,
                Map.of(), Map.of());
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
