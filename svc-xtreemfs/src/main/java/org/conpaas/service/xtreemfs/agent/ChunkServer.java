package org.conpaas.service.xtreemfs.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.conpaas.api.agent.NodeEnvironment;
import org.conpaas.service.web.agent.Daemon;
import org.conpaas.service.xtreemfs.XtreemfsOperations;

/**
 * The MooseFS chunkserver of an OSD node, its chunks on the node's volume (in the work folder on clouds without
 * volumes). Draining marks its folder for removal ({@code *} in mfshdd.cfg): the master then copies every chunk it
 * holds to the other chunkservers while it still serves them.
 */
final class ChunkServer {

    private final NodeEnvironment environment;
    private final Daemon daemon;

    ChunkServer(NodeEnvironment environment) {
        this.environment = environment;
        this.daemon = new Daemon(environment, "mfschunkserver", environment.logDir().resolve("mfschunkserver.log"));
    }

    private Path base() {
        return environment.nodeVolume().orElse(environment.workDir()).resolve("mfschunkserver");
    }

    private Path chunks() {
        return base().resolve("chunks");
    }

    boolean isRunning() {
        return daemon.isRunning();
    }

    Optional<String> problem() {
        return daemon.problem();
    }

    void start(String master) throws IOException {
        if (daemon.isRunning()) {
            return;
        }
        Path base = base();
        Files.createDirectories(chunks());
        writeHdd(false);
        String address = environment.address();
        Path config = environment.workDir().resolve("mfschunkserver.cfg");
        Files.writeString(config, String.join("\n",
                "# written by the xtreemfs service's agent",
                // as root (an agent on a cloud machine) MooseFS would switch to Debian's mfs account, which cannot
                // write the node's folders; on the local cloud the agent is the node's own unprivileged account
                AdminMount.isRoot() ? "WORKING_USER = root\nWORKING_GROUP = root" : "# WORKING_USER: the agent's account",
                "DATA_PATH = " + base,
                "HDD_CONF_FILENAME = " + base.resolve("mfshdd.cfg"),
                "MASTER_HOST = " + master,
                "BIND_HOST = " + address,
                "CSSERV_LISTEN_HOST = " + address,
                // MooseFS keeps 256 MiB free by default, a quarter of a small OSD volume
                "HDD_LEAVE_SPACE_DEFAULT = 64MiB",
                ""), StandardCharsets.UTF_8);
        daemon.start(List.of("mfschunkserver", "-f", "-c", config.toString()), base, address,
                XtreemfsOperations.CHUNKSERVER_PORT);
    }

    /** Marks the chunk folder for removal (or no longer) and has the chunkserver reload its disks. */
    void mark(boolean forRemoval) throws IOException {
        writeHdd(forRemoval);
        daemon.signal("HUP");
    }

    private void writeHdd(boolean forRemoval) throws IOException {
        Files.writeString(base().resolve("mfshdd.cfg"), (forRemoval ? "*" : "") + chunks() + "\n",
                StandardCharsets.UTF_8);
    }

    void stop() {
        daemon.stopGracefully("TERM");
    }
}
