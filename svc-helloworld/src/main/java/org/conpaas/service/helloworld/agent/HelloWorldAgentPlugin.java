package org.conpaas.service.helloworld.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.conpaas.api.agent.AgentPlugin;
import org.conpaas.api.agent.NodeEnvironment;
import org.conpaas.api.service.ServiceType;
import org.conpaas.service.helloworld.HelloWorldServiceType;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The node side of helloworld. It needs the agent's {@link NodeEnvironment}, so it only becomes active inside the
 * agent runtime, never in the director. The string is kept in a file so it survives an agent restart.
 */
@Component(service = AgentPlugin.class, property = ServiceType.PROPERTY + "=" + HelloWorldServiceType.NAME)
public class HelloWorldAgentPlugin implements AgentPlugin {

    static final String DEFAULT_STRING = "helloworld";

    private final Path stringFile;

    @Activate
    public HelloWorldAgentPlugin(@Reference NodeEnvironment environment) {
        this.stringFile = environment.workDir().resolve("helloworld").resolve("string.txt");
    }

    @Override
    public Object invoke(String operation, Map<String, Object> params, Map<String, Path> files) throws IOException {
        switch (operation) {
            case "startup":
                store(stringParameter(params));
                return Map.of();
            case "get_helloworld":
                return Files.exists(stringFile) ? Files.readString(stringFile, StandardCharsets.UTF_8) : DEFAULT_STRING;
            default:
                throw new IllegalArgumentException("unknown operation " + operation);
        }
    }

    private static String stringParameter(Map<String, Object> params) {
        Object value = params == null ? null : params.get("string");
        if (value == null) {
            return DEFAULT_STRING;
        }
        if (!(value instanceof String string)) {
            throw new IllegalArgumentException("parameter string must be a text, not " + value);
        }
        return string;
    }

    /** Written beside and renamed, so a crash never leaves half a string. */
    private void store(String string) throws IOException {
        Files.createDirectories(stringFile.getParent());
        Path temp = stringFile.resolveSibling("string.txt.tmp");
        Files.writeString(temp, string, StandardCharsets.UTF_8);
        Files.move(temp, stringFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
