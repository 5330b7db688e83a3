package org.conpaas.cloud.local;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.conpaas.api.CloudException;
import org.conpaas.api.cloud.CloudNode;
import org.conpaas.api.cloud.CloudNodeState;
import org.conpaas.api.cloud.NodeBootstrap;
import org.conpaas.api.cloud.NodeLaunch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Prepares one node directory and starts its agent as the leader of a new session and process group. */
final class NodeLauncher {

    private static final Logger LOG = LoggerFactory.getLogger(NodeLauncher.class);

    /**
     * Runs the user's startup script (if any) before the agent, as ConPaaS does on its VMs, then replaces itself
     * with the agent so the agent keeps the pid (= process group id) recorded for the node.
     * $1 = agent launcher, $2 = agent.properties.
     */
    private static final String NODE_START = """
            if [ -f startup.sh ]; then
              bash ./startup.sh >> logs/startup.log 2>&1
              echo "startup script exited with status $?" >> logs/startup.log
            fi
            exec "$1" "$2"
            """;

    private final LocalCloudSettings settings;
    private final NodeStore store;
    private final AddressPool addresses;

    NodeLauncher(LocalCloudSettings settings, NodeStore store, AddressPool addresses) {
        this.settings = settings;
        this.store = store;
        this.addresses = addresses;
    }

    /** Launches one node; on failure nothing of it is left (directory, address, process). */
    CloudNode launch(NodeLaunch launch, Path agentLauncher, String vmId) {
        Path dir = store.dir(vmId);
        String address = null;
        Process process = null;
        try {
            address = addresses.allocate(vmId);
            NodeRecord record = new NodeRecord(vmId, launch.nodeId(), launch.name(), launch.role(), address,
                    settings.port(), -1, -1);
            writeNodeFiles(dir, launch.bootstrap(), address);
            record.write(dir);
            process = start(dir, agentLauncher);
            record = record.withProcess(process.pid(), ProcessTable.startTicks(process.pid()));
            record.write(dir);
            LOG.info("cloud {}: node {} started as {} on {} (pid {})", settings.name(), launch.nodeId(), vmId,
                    address, process.pid());
            boolean running = ProcessTable.isRunning(record.pid(), record.startTicks());
            return new CloudNode(vmId, launch.nodeId(), address,
                    running ? CloudNodeState.RUNNING : CloudNodeState.TERMINATED,
                    running ? "pid " + record.pid() : "the agent ended at once; see " + dir.resolve("logs/agent.out"));
        } catch (RuntimeException | IOException e) {
            if (process != null) {
                ProcessTable.signalGroup(process.pid(), "KILL");
                process.destroyForcibly();
            }
            addresses.free(address, vmId);
            try {
                store.delete(vmId);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            if (e instanceof CloudException cloudException) {
                throw cloudException;
            }
            throw new CloudException("cannot launch node " + launch.nodeId() + " on cloud " + settings.name()
                    + ": " + e.getMessage(), e);
        }
    }

    private void writeNodeFiles(Path dir, NodeBootstrap bootstrap, String address) throws IOException {
        Files.createDirectories(dir.resolve("logs"));
        Path keyStore = dir.resolve("keystore.p12");
        Path trustStore = dir.resolve("truststore.p12");
        FilePermissions.writePrivate(keyStore, bootstrap.keyStore() == null ? new byte[0] : bootstrap.keyStore());
        FilePermissions.writePrivate(trustStore,
                bootstrap.trustStore() == null ? new byte[0] : bootstrap.trustStore());

        Map<String, String> config = new HashMap<>(bootstrap.agentConfig());
        config.put("conpaas.agent.address", address);
        config.put("conpaas.agent.port", Integer.toString(settings.port()));
        config.put("conpaas.agent.keystore", keyStore.toString());
        config.put("conpaas.agent.truststore", trustStore.toString());
        config.put("conpaas.agent.storePassword", bootstrap.storePassword() == null ? "" : bootstrap.storePassword());
        config.put("conpaas.agent.workDir", dir.toString());
        PropertiesFiles.write(dir.resolve("agent.properties"), config);

        String script = bootstrap.startupScript();
        if (script != null && !script.isBlank()) {
            FilePermissions.writePrivate(dir.resolve("startup.sh"), script.getBytes(StandardCharsets.UTF_8));
        }
    }

    private Process start(Path dir, Path agentLauncher) throws IOException {
        // setsid: the agent leads its own session and process group (pgid = pid), so terminate can signal
        // everything it started, and it outlives a director restart.
        ProcessBuilder builder = new ProcessBuilder(List.of("setsid", "bash", "-c", NODE_START, "conpaas-node",
                agentLauncher.toString(), dir.resolve("agent.properties").toString()))
                .directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("logs/agent.out").toFile()));
        builder.environment().put("JAVA_HOME", settings.javaHome().toString());
        builder.environment().put("AGENT_JAVA_OPTS", settings.javaOptions());
        return builder.start();
    }
}
