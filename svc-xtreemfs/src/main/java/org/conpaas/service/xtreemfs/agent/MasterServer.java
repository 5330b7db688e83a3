package org.conpaas.service.xtreemfs.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.conpaas.api.agent.NodeEnvironment;
import org.conpaas.service.web.agent.Daemon;
import org.conpaas.service.xtreemfs.VolumeNames;
import org.conpaas.service.xtreemfs.XtreemfsOperations;

/**
 * The MooseFS master of the DIR node (the DIR and the MRC of XtreemFS in one process): its metadata lives on the
 * node's volume when it has one. Exports: the root only for the master's own address (the node's admin mounts, no
 * password), and each volume's folder for anyone holding the volume's password.
 */
final class MasterServer {

    /**
     * The metadata of a new, empty file system: what Debian's moosefs-master ships as
     * /var/lib/mfs/metadata.mfs.empty, which a node that sees the host's /usr but not its /var (an LXC container)
     * lacks.
     */
    static final byte[] NEW_FILE_SYSTEM = "MFSM NEW".getBytes(StandardCharsets.US_ASCII);

    private final NodeEnvironment environment;
    private final Daemon daemon;

    MasterServer(NodeEnvironment environment) {
        this.environment = environment;
        this.daemon = new Daemon(environment, "mfsmaster", environment.logDir().resolve("mfsmaster.log"));
    }

    private static boolean installed() {
        return Files.isExecutable(Path.of("/usr/sbin/mfsmaster")) || Files.isExecutable(Path.of("/usr/bin/mfsmaster"));
    }

    Path dataDir() {
        return environment.nodeVolume().orElse(environment.workDir()).resolve("mfsmaster");
    }

    boolean isRunning() {
        return daemon.isRunning();
    }

    Optional<String> problem() {
        return daemon.problem();
    }

    void start(Map<String, Object> exports) throws IOException {
        if (daemon.isRunning()) {
            writeExports(exports);
            daemon.signal("HUP");
            return;
        }
        Path data = dataDir();
        Files.createDirectories(data);
        Path metadata = data.resolve("metadata.mfs");
        if (!Files.exists(metadata) && !Files.exists(data.resolve("metadata.mfs.back"))) {
            if (!installed()) {
                throw new IllegalStateException("MooseFS's master is not installed on this node (no mfsmaster in "
                        + "/usr/sbin): apt-get install moosefs-master");
            }
            Files.write(metadata, NEW_FILE_SYSTEM);
        }
        String address = environment.address();
        Files.writeString(data.resolve("mfstopology.cfg"), "", StandardCharsets.UTF_8);
        writeExports(exports);
        Files.writeString(config(), String.join("\n",
                "# written by the xtreemfs service's agent",
                // as root (an agent on a cloud machine) MooseFS would switch to Debian's mfs account, which cannot
                // write the node's folders; on the local cloud the agent is the node's own unprivileged account
                AdminMount.isRoot() ? "WORKING_USER = root\nWORKING_GROUP = root" : "# WORKING_USER: the agent's account",
                "DATA_PATH = " + data,
                "EXPORTS_FILENAME = " + data.resolve("mfsexports.cfg"),
                "TOPOLOGY_FILENAME = " + data.resolve("mfstopology.cfg"),
                "MATOML_LISTEN_HOST = " + address,
                "MATOCS_LISTEN_HOST = " + address,
                "MATOCL_LISTEN_HOST = " + address,
                // a small service: replicate at once after a start and look at every chunk each second, so that a
                // new goal or an OSD's removal takes seconds instead of MooseFS's default minutes
                "REPLICATIONS_DELAY_INIT = 0",
                "CHUNKS_LOOP_MIN_TIME = 1",
                "") , StandardCharsets.UTF_8);
        // -a: after a crash the master rebuilds its metadata from the change logs by itself
        daemon.start(List.of("mfsmaster", "-f", "-a", "-c", config().toString()), data, address,
                XtreemfsOperations.MASTER_CLIENT_PORT);
    }

    /** Rewrites the exports and has the master reload them (SIGHUP). */
    void setExports(Map<String, Object> exports) throws IOException {
        writeExports(exports);
        daemon.signal("HUP");
    }

    private void writeExports(Map<String, Object> exports) throws IOException {
        StringBuilder text = new StringBuilder("# written by the xtreemfs service's agent\n");
        text.append(environment.address()).append(" / rw,alldirs,maproot=0\n");
        for (Map.Entry<String, Object> volume : exports.entrySet()) {
            String name = VolumeNames.check(volume.getKey());
            if (!(volume.getValue() instanceof String password) || !password.matches("[A-Za-z0-9]{16,64}")) {
                throw new IllegalArgumentException("invalid password for the export of " + name);
            }
            text.append("* /").append(name).append(" rw,maproot=0,password=").append(password).append('\n');
        }
        Path file = dataDir().resolve("mfsexports.cfg");
        Files.createDirectories(file.getParent());
        Path temp = file.resolveSibling("mfsexports.cfg.new");
        Files.writeString(temp, text, StandardCharsets.UTF_8);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** TERM makes the master store its metadata and exit. */
    void stop() {
        daemon.stopGracefully("TERM");
    }

    private Path config() {
        return environment.workDir().resolve("mfsmaster.cfg");
    }
}
