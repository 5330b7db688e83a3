package org.conpaas.agent.testplugin;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.conpaas.api.agent.AgentPlugin;
import org.conpaas.api.agent.NodeEnvironment;
import org.conpaas.api.agent.ProcessRunner;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * A test plug-in of type {@code echo}: it answers with what it was given and what its node is, and can start a
 * long-lived process, so tests can see the whole agent path (install, call, files, process groups).
 */
@Component(property = "conpaas.service.type=echo")
public final class EchoPlugin implements AgentPlugin {

    private final NodeEnvironment node;

    @Activate
    public EchoPlugin(@Reference NodeEnvironment node) {
        this.node = node;
    }

    @Override
    public Object invoke(String operation, Map<String, Object> params, Map<String, Path> files) throws Exception {
        switch (operation) {
            case "echo":
                return echo(params, files);
            case "run":
                return run(params);
            case "spawn":
                return spawn(params);
            case "reject":
                throw new IllegalArgumentException("the echo plugin rejects this on purpose");
            case "fail":
                throw new IllegalStateException("the echo plugin failed on purpose");
            default:
                throw new IllegalArgumentException("unknown operation " + operation);
        }
    }

    private Map<String, Object> echo(Map<String, Object> params, Map<String, Path> files) throws Exception {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("nodeId", node.nodeId());
        answer.put("role", node.role());
        answer.put("applicationId", node.applicationId());
        answer.put("serviceId", node.serviceId());
        answer.put("properties", node.properties());
        answer.put("params", params);
        Map<String, String> contents = new LinkedHashMap<>();
        for (Map.Entry<String, Path> file : files.entrySet()) {
            contents.put(file.getKey(), Files.readString(file.getValue(), StandardCharsets.UTF_8));
        }
        answer.put("files", contents);
        return answer;
    }

    /** Runs a shell line to completion through the agent's process runner. */
    private Map<String, Object> run(Map<String, Object> params) {
        String line = String.valueOf(params.get("command"));
        ProcessRunner.ProcessResult result = node.processes()
                .run(List.of("sh", "-c", line), node.workDir(), Map.of(), Duration.ofSeconds(10));
        return Map.of("exitCode", result.exitCode(), "output", result.output(), "timedOut", result.timedOut());
    }

    /** Starts a long-lived shell line; its output goes to a log file the director can read. */
    private Map<String, Object> spawn(Map<String, Object> params) {
        String name = String.valueOf(params.get("name"));
        String line = String.valueOf(params.get("command"));
        ProcessRunner.ManagedProcess process = node.processes().start(name, List.of("sh", "-c", line),
                node.workDir(), Map.of(), node.logDir().resolve(name + ".log"));
        return Map.of("pid", process.pid());
    }
}
