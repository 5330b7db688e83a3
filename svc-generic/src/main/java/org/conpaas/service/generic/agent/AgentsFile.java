package org.conpaas.service.generic.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.conpaas.service.support.json.Json;

/** The service's members as the scripts read them: {@code agents.json}, a list of {@code {id, ip, role}}. */
record AgentsFile(List<Agent> agents) {

    record Agent(String id, String ip, String role) {
    }

    AgentsFile {
        agents = List.copyOf(agents);
    }

    /** Reads the {@code agents} parameter: a JSON list of objects, as the agent protocol decoded it. */
    static AgentsFile fromParameter(Object value) {
        if (!(value instanceof List<?> list)) {
            throw new IllegalArgumentException("parameter agents must be a list of {id, ip, role}, not " + value);
        }
        List<Agent> agents = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof Map<?, ?> map) || !(map.get("id") instanceof String id)
                    || !(map.get("ip") instanceof String ip) || !(map.get("role") instanceof String role)) {
                throw new IllegalArgumentException("every agent must be an object {id, ip, role}, not " + item);
            }
            agents.add(new Agent(id, ip, role));
        }
        return new AgentsFile(agents);
    }

    String roleOf(String nodeId, String fallback) {
        return agents.stream().filter(a -> a.id().equals(nodeId)).map(Agent::role).findFirst().orElse(fallback);
    }

    String masterIp() {
        return agents.stream().filter(a -> a.role().equals("master")).map(Agent::ip).findFirst().orElse("");
    }

    /** Laid out as Python's json.dumps writes it (the original ConPaaS): a script's grep keeps working. */
    String toJson() {
        List<String> items = new ArrayList<>();
        for (Agent agent : agents) {
            items.add("{\"id\": " + Json.write(agent.id()) + ", \"ip\": " + Json.write(agent.ip()) + ", \"role\": "
                    + Json.write(agent.role()) + "}");
        }
        return "[" + String.join(", ", items) + "]\n";
    }

    /** Written beside and renamed, so a script never reads half a file. */
    void writeTo(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temp, toJson(), StandardCharsets.UTF_8);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
