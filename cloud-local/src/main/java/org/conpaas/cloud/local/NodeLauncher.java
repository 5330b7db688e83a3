package org.conpaas.cloud.local;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.conpaas.api.CloudException;
import org.conpaas.api.cloud.CloudNode;
import org.conpaas.api.cloud.CloudNodeState;
import org.conpaas.api.cloud.NodeLaunch;
import org.conpaas.service.support.host.FilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prepares one node directory and runs the node's user data there ({@code work/user-data}, the boot script the
 * director rendered, as cloud-init would on a real cloud) as the leader of a new session and process group, as the
 * node's own account when the director is root (see {@link NodeAccounts}), else as the director's account inside a
 * {@link NodeSandbox}. The script downloads the agent from the director with the node's token and becomes the agent
 * ({@value NodeLaunch#FOREGROUND_VARIABLE}=1), so the recorded pid is the agent's.
 */
final class NodeLauncher {

    private static final Logger LOG = LoggerFactory.getLogger(NodeLauncher.class);

    /** The node's boot script in its {@code work/} folder. */
    static final String USER_DATA = "user-data";

    private static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private final LocalCloudSettings settings;
    private final NodeStore store;
    private final AddressPool addresses;
    private final NodeAccounts accounts;
    private final NodeSandbox sandbox;
    private final NodeNetwork network;

    NodeLauncher(LocalCloudSettings settings, NodeStore store, AddressPool addresses, NodeAccounts accounts,
            NodeSandbox sandbox, NodeNetwork network) {
        this.settings = settings;
        this.store = store;
        this.addresses = addresses;
        this.accounts = accounts;
        this.sandbox = sandbox;
        this.network = network;
    }

    /** Launches one node; on failure nothing of it is left (directory, address, process). */
    CloudNode launch(NodeLaunch launch, String vmId) {
        Path dir = store.dir(vmId);
        Path work = store.workDir(vmId);
        String address = null;
        Process process = null;
        long uid = NodeAccounts.DIRECTOR_ACCOUNT;
        try {
            uid = accounts.allocate();
            address = addresses.allocate(vmId);
            NodeRecord record = new NodeRecord(vmId, launch.nodeId(), launch.name(), launch.role(), address,
                    settings.port(), uid, -1, -1);
            record.write(dir);
            writeNodeFiles(vmId, launch.userData(), uid);
            network.attach(vmId, address, uid, launch.userData());
            process = start(vmId, dir, address, uid);
            record = record.withProcess(process.pid(), ProcessTable.startTicks(process.pid()));
            record.write(dir);
            LOG.info("cloud {}: node {} started as {} on {} (pid {}{})", settings.name(), launch.nodeId(), vmId,
                    address, process.pid(), uid == NodeAccounts.DIRECTOR_ACCOUNT ? ", sandboxed" : ", uid " + uid);
            boolean running = ProcessTable.isRunning(record.pid(), record.startTicks());
            return new CloudNode(vmId, launch.nodeId(), address, settings.port(),
                    running ? CloudNodeState.RUNNING : CloudNodeState.TERMINATED,
                    running ? "pid " + record.pid() : "the node's boot script ended at once; see "
                            + work.resolve("logs/agent.out"));
        } catch (RuntimeException | IOException e) {
            if (process != null) {
                ProcessTable.signalGroup(process.pid(), "KILL");
                process.destroyForcibly();
            }
            if (uid != NodeAccounts.DIRECTOR_ACCOUNT) {
                ProcessTable.processesOf(uid).forEach(ProcessTable::kill);
            }
            network.detach(vmId);
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
        } finally {
            accounts.done(uid);
        }
    }

    /**
     * The node's files: its user data and the folders it logs to. With an account of its own the node gets
     * {@code work/} (mode 700, all of it its own) and may enter, not change, its node folder and {@code media/}
     * (root-owned, its group, mode 750); the driver's record stays the director's alone (600).
     */
    private void writeNodeFiles(String vmId, String userData, long uid) throws IOException {
        if (userData == null || userData.isBlank()) {
            throw new CloudException("node has no user data to boot from");
        }
        Path work = store.workDir(vmId);
        Path media = store.mediaDir(vmId);
        FilePermissions.createPrivateDirectory(work);
        FilePermissions.createPrivateDirectory(media);
        FilePermissions.createPrivateDirectory(work.resolve("logs"));
        FilePermissions.createPrivateDirectory(work.resolve("tmp"));
        FilePermissions.createPrivateFile(work.resolve("logs/agent.out"));
        // It holds the node's key: private to the node, like the user data of a real cloud's machine.
        FilePermissions.writePrivate(work.resolve(USER_DATA), userData.getBytes(StandardCharsets.UTF_8));
        if (uid != NodeAccounts.DIRECTOR_ACCOUNT) {
            FilePermissions.setOwnerOfTree(work, uid, uid);
            Path dir = store.dir(vmId);
            for (Path entered : new Path[] {dir, media}) {
                FilePermissions.setOwner(entered, 0, uid);
                FilePermissions.setMode(entered, "rwxr-x---");
            }
        }
    }

    private Process start(String vmId, Path nodeDir, String address, long uid) throws IOException {
        Path work = nodeDir.resolve("work");
        List<String> command = new ArrayList<>();
        // setsid: the agent leads its own session and process group (pgid = pid), so terminate can signal
        // everything it started, and it outlives a director restart.
        command.add("setsid");
        // The node's network (namespace mode: nsenter --net, which then execs the rest, keeping the pid).
        command.addAll(network.enter(vmId));
        // A node account has no passwd entry: Java would take "?" as the home folder and share one hsperfdata folder
        // in /tmp between nodes; in a sandbox the director's home and /tmp are empty tmpfs (in memory). Either way
        // home and temporary files belong in the node's own folder.
        String javaOptions = (settings.javaOptions() + " -Duser.home=" + work + " -Djava.io.tmpdir="
                + work.resolve("tmp") + " -XX:-UsePerfData").trim();
        if (uid != NodeAccounts.DIRECTOR_ACCOUNT) {
            // The node's account, its own group and nothing else: no supplementary groups, no capabilities to
            // keep or regain, and no set-uid program can lift it (no_new_privs).
            command.addAll(List.of("setpriv", "--reuid=" + uid, "--regid=" + uid, "--clear-groups",
                    "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs"));
        } else {
            // The same uid as the director: only namespaces keep the node from the director's files and processes.
            command.addAll(sandbox.command(settings.dataDir(), nodeDir, settings.javaHome()));
        }
        command.addAll(List.of("/bin/sh", work.resolve(USER_DATA).toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(work.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("logs/agent.out").toFile()));
        // Only what a node needs of the director's environment: nothing else of the director's reaches tenants.
        Map<String, String> environment = builder.environment();
        Map<String, String> inherited = Map.copyOf(environment);
        environment.clear();
        String path = inherited.getOrDefault("PATH", DEFAULT_PATH);
        if (uid != NodeAccounts.DIRECTOR_ACCOUNT) {
            path = NodeAccounts.pathForNodes(path + ":" + DEFAULT_PATH);
        }
        environment.put("PATH", path);
        for (String kept : List.of("LANG", "LC_ALL", "TZ")) {
            if (inherited.containsKey(kept)) {
                environment.put(kept, inherited.get(kept));
            }
        }
        environment.put("HOME", work.toString());
        environment.put("TMPDIR", work.resolve("tmp").toString());
        environment.put("JAVA_HOME", settings.javaHome().toString());
        environment.put("AGENT_JAVA_OPTS", javaOptions);
        // Where the node is: the user data's defaults are for a machine of its own.
        environment.put(NodeLaunch.NODE_DIR_VARIABLE, work.toString());
        environment.put(NodeLaunch.MEDIA_DIR_VARIABLE, nodeDir.resolve("media").toString());
        environment.put(NodeLaunch.AGENT_ADDRESS_VARIABLE, address);
        environment.put(NodeLaunch.AGENT_PORT_VARIABLE, Integer.toString(settings.port()));
        environment.put(NodeLaunch.FOREGROUND_VARIABLE, "1");
        environment.putAll(network.environment(vmId));
        return builder.start();
    }
}
