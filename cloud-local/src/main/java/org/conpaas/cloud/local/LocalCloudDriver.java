package org.conpaas.cloud.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.conpaas.api.CloudException;
import org.conpaas.api.cloud.CloudCapability;
import org.conpaas.api.cloud.CloudDriver;
import org.conpaas.api.cloud.CloudNode;
import org.conpaas.api.cloud.CloudNodeState;
import org.conpaas.api.cloud.CloudVolume;
import org.conpaas.api.cloud.HostShare;
import org.conpaas.api.cloud.LaunchListener;
import org.conpaas.api.cloud.LaunchRequest;
import org.conpaas.api.cloud.NodeLaunch;
import org.conpaas.service.support.host.FilePermissions;
import org.conpaas.service.support.host.LaunchPool;
import org.conpaas.service.support.host.Mounts;
import org.conpaas.service.support.host.VolumeMountPoints;
import org.conpaas.service.support.host.VolumeRecord;
import org.conpaas.service.support.host.VolumeStore;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in cloud: every node is a process on this host with its own loopback address (or, in the namespace
 * mode, its own network namespace on a private bridge: {@link NamespaceNodeNetwork}) and folder
 * {@code <dataDir>/nodes/<vmId>/} (see {@link NodeStore}) that runs the node's user data, which downloads the agent
 * from the director and becomes it ({@link NodeLauncher}), as a real cloud's machine would; as root each node runs
 * as an account of its own ({@link NodeAccounts}), otherwise as the director's account in a {@link NodeSandbox}.
 * The agent port is this cloud's {@code port} setting, reported with each node. All state is on disk, so a
 * restarted director finds its nodes again; stopping the driver never stops nodes. Volumes are image files
 * ({@link LocalVolumes}). A sandboxed node sees neither the image nor a way to mount it: volumes need root.
 * <p>
 * The component registers the {@link CloudDriver} service itself because its {@value #NAME_PROPERTY} property
 * comes from the configured {@code name}, which DS cannot rename.
 */
@Designate(ocd = LocalCloudConfig.class, factory = true)
@Component(configurationPid = LocalCloudDriver.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
public class LocalCloudDriver implements CloudDriver {

    public static final String PID = "org.conpaas.cloud.local";
    public static final String TYPE = "local";
    /** The folder of {@link #hostShare()} in the cloud's data folder. */
    static final String HOST_SHARE = "host-share";

    private static final Logger LOG = LoggerFactory.getLogger(LocalCloudDriver.class);
    private static final int LAUNCH_THREADS = 4;

    /** Replaced by {@link #modified} with the settings that apply live (javaHome, javaOptions). */
    private volatile LocalCloudSettings settings;
    private final NodeStore nodes;
    private final LocalVolumes volumes;
    private final NodeNetwork network;
    private final AddressPool addresses;
    private final NodeAccounts accounts;
    private final NodeSandbox sandbox;
    /** Replaced with {@link #settings}: a launch under way keeps the launcher it started with. */
    private volatile NodeLauncher launcher;
    private final LaunchPool launchPool;
    /** Nodes whose launch is under way in this driver: they have a directory but maybe no process yet. */
    private final Set<String> launching = ConcurrentHashMap.newKeySet();
    private ServiceRegistration<CloudDriver> registration;

    @Activate
    public LocalCloudDriver(LocalCloudConfig config) {
        this(LocalCloudSettings.from(config));
    }

    LocalCloudDriver(LocalCloudSettings settings) {
        this(settings, NodeAccounts.directorIsRoot());
    }

    /** {@code separateAccounts}: nodes run as accounts of their own (needs root), else in a sandbox. */
    LocalCloudDriver(LocalCloudSettings settings, boolean separateAccounts) {
        this(settings, separateAccounts, NodeSandbox.ofThisDirector());
    }

    LocalCloudDriver(LocalCloudSettings settings, boolean separateAccounts, NodeSandbox sandbox) {
        this.settings = settings;
        Path dataDir = settings.dataDir();
        this.nodes = new NodeStore(dataDir.resolve("nodes"));
        this.volumes = new LocalVolumes(settings.name(), dataDir.resolve("volumes"), nodes);
        this.network = settings.namespaces() == null ? NodeNetwork.LOOPBACK
                : new NamespaceNodeNetwork(settings.name(), settings.namespaces().bridge(),
                        settings.namespaces().subnet(), nodes, this::isRunning, separateAccounts);
        this.addresses = new AddressPool(settings.addresses(), dataDir.resolve("addresses"), settings.port(),
                nodes::exists, network.probesHostAddresses());
        this.accounts = new NodeAccounts(settings.nodeUids(), separateAccounts, nodes);
        this.sandbox = sandbox;
        this.launcher = new NodeLauncher(settings, nodes, addresses, accounts, sandbox, network);
        this.launchPool = new LaunchPool("cloud-local-" + settings.name(), LAUNCH_THREADS);
    }

    @Activate
    void register(BundleContext context) {
        registration = context.registerService(CloudDriver.class, this, serviceProperties());
        LOG.info("local cloud {} ready: {}addresses {}-{}, data in {}, nodes run as {}", settings.name(),
                settings.namespaces() == null ? "" : "network namespaces on bridge " + settings.namespaces().bridge()
                        + ", ",
                AddressRange.format(settings.addresses().first()), AddressRange.format(settings.addresses().last()),
                settings.dataDir(), accounts.separate() ? "accounts of their own (uids " + settings.nodeUids().first()
                        + "-" + settings.nodeUids().last() + ")"
                        : "the director's account in a bubblewrap sandbox (the director is not root)");
    }

    /**
     * A changed configuration keeps the driver (and the launches under way) running. The agents' Java (javaHome,
     * javaOptions) applies to the nodes launched next. The rest names what nodes already exist by, or where they
     * live (name, dataDir, addressRange, port, nodeUids): it is read when the driver starts, so a change waits for
     * a restart of the director or of this bundle, which leaves running nodes alone.
     */
    @Modified
    void modified(LocalCloudConfig config) {
        LocalCloudSettings wanted = LocalCloudSettings.from(config);
        LocalCloudSettings current = settings;
        LocalCloudSettings live = current.withJava(wanted.javaHome(), wanted.javaOptions());
        if (!live.equals(current)) {
            settings = live;
            launcher = new NodeLauncher(live, nodes, addresses, accounts, sandbox, network);
            LOG.info("local cloud {}: nodes launched from now on use Java {} with '{}'", live.name(), live.javaHome(),
                    live.javaOptions());
        }
        if (!wanted.equals(live)) {
            LOG.warn("local cloud {}: name, dataDir, addressRange, port, nodeUids and the network are read when the driver starts; "
                    + "the changed ones apply after a restart of the director (running nodes are kept)", live.name());
        }
    }

    /** The settings in force. */
    LocalCloudSettings settings() {
        return settings;
    }

    @Deactivate
    void close() {
        if (registration != null) {
            registration.unregister();
            registration = null;
        }
        launchPool.close();
        network.close();
    }

    @Override
    public String unavailableReason() {
        return network.unavailableReason();
    }

    private boolean isRunning(String vmId) {
        return nodes.read(vmId).filter(NodeRecord::hasProcess)
                .map(r -> ProcessTable.isRunning(r.pid(), r.startTicks())).orElse(false);
    }

    @Override
    public String name() {
        return settings.name();
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Set<CloudCapability> capabilities() {
        return EnumSet.of(CloudCapability.VOLUMES);
    }

    /**
     * {@code <dataDir>/host-share}: every node of this cloud runs on this host, so what all need is kept here once.
     * The director writes it; nodes enter it (711) and read its folders, never write (their own accounts, or
     * bubblewrap's read-only bind when they share the director's).
     */
    @Override
    public Optional<HostShare> hostShare() {
        Path share = settings.dataDir().resolve(HOST_SHARE);
        try {
            if (!Files.isDirectory(share)) {
                Files.createDirectories(share);
                FilePermissions.setMode(share, "rwx--x--x");
            }
        } catch (IOException e) {
            throw new CloudException("cannot make the host's shared folder " + share + ": " + e.getMessage(), e);
        }
        return Optional.of(new HostShare(share, share));
    }

    /**
     * Launches each node in parallel: a folder (its machine id, told to the listener at once), an address, an account
     * or a sandbox, then its user data run there. A node that cannot be launched is reported FAILED with the reason
     * and leaves nothing behind; the others are kept (the director decides what a partly launched batch means).
     */
    @Override
    public List<CloudNode> launch(LaunchRequest request) throws CloudException {
        String unavailable = network.unavailableReason();
        if (unavailable != null) {
            throw new CloudException(unavailable);
        }
        accounts.prepareDataDir(settings.dataDir(), settings.javaHome());
        hostShare(); // made before the nodes: a sandboxed node sees only what was there at its start
        if (!accounts.separate()) {
            sandbox.check(); // never an unconfined node: without bubblewrap, no node at all
        }
        NodeLauncher current = launcher;
        return launchPool.launchAll(request.nodes(), node -> launchOne(current, node, request.listener()));
    }

    private CloudNode launchOne(NodeLauncher current, NodeLaunch node, LaunchListener listener) {
        String vmId;
        try {
            vmId = nodes.create();
        } catch (IOException e) {
            return CloudNode.failed(null, node.nodeId(), "cloud " + name() + " cannot create a node folder: "
                    + e.getMessage());
        }
        launching.add(vmId);
        try {
            listener.machineCreated(node.nodeId(), vmId);
            return current.launch(node, vmId);
        } catch (CloudException e) {
            return CloudNode.failed(vmId, node.nodeId(), e.getMessage());
        } finally {
            launching.remove(vmId);
        }
    }

    @Override
    public List<CloudNode> describe(Collection<String> vmIds) throws CloudException {
        List<CloudNode> described = new ArrayList<>();
        for (String vmId : new LinkedHashSet<>(vmIds)) {
            if (nodes.exists(vmId)) {
                described.add(describeOne(vmId));
            }
        }
        return described;
    }

    @Override
    public List<CloudNode> list() throws CloudException {
        try {
            return describe(nodes.vmIds());
        } catch (IOException e) {
            throw new CloudException("cannot list the nodes of cloud " + name() + ": " + e.getMessage(), e);
        }
    }

    private CloudNode describeOne(String vmId) {
        NodeRecord record = nodes.read(vmId).orElse(null);
        boolean starting = launching.contains(vmId);
        if (record == null || !record.hasProcess()) {
            return new CloudNode(vmId, record == null ? null : record.nodeId(),
                    record == null ? null : record.address(), record == null ? settings.port() : record.port(),
                    starting ? CloudNodeState.PENDING : CloudNodeState.TERMINATED,
                    starting ? "starting" : "the agent was never started (launch interrupted)");
        }
        if (ProcessTable.isRunning(record.pid(), record.startTicks())) {
            return new CloudNode(vmId, record.nodeId(), record.address(), record.port(), CloudNodeState.RUNNING,
                    "pid " + record.pid());
        }
        return new CloudNode(vmId, record.nodeId(), record.address(), record.port(), CloudNodeState.TERMINATED,
                "the node's process " + record.pid() + " has ended; see "
                        + nodes.workDir(vmId).resolve("logs/agent.out"));
    }

    @Override
    public void terminate(Collection<String> vmIds) throws CloudException {
        List<NodeRecord> records = new ArrayList<>();
        List<String> known = new ArrayList<>();
        for (String vmId : new LinkedHashSet<>(vmIds)) {
            if (nodes.exists(vmId)) {
                known.add(vmId);
                nodes.read(vmId).filter(NodeRecord::hasProcess).ifPresent(records::add);
            }
        }
        NodeProcesses.stop(records, name());
        known.forEach(network::detach);
        List<String> failures = new ArrayList<>();
        List<String> deleted = new ArrayList<>();
        for (String vmId : known) {
            // The address goes first: a reservation without its node directory would be taken back anyway.
            nodes.read(vmId).ifPresent(r -> addresses.free(r.address(), vmId));
            try {
                nodes.delete(vmId);
                deleted.add(vmId);
                LOG.info("cloud {}: node {} terminated", name(), vmId);
            } catch (IOException e) {
                failures.add(vmId + ": " + e.getMessage());
            }
        }
        volumes.forgetAttachmentsTo(deleted);
        if (!failures.isEmpty()) {
            throw new CloudException("cloud " + name() + " could not remove node directories: "
                    + String.join("; ", failures));
        }
    }

    @Override
    public CloudVolume createVolume(String volumeName, int sizeMb) throws CloudException {
        accounts.prepareDataDir(settings.dataDir(), settings.javaHome());
        return volumes.create(volumeName, sizeMb);
    }

    @Override
    public CloudVolume attachVolume(String volumeId, String vmId) throws CloudException {
        return volumes.attach(volumeId, vmId, null);
    }

    /** See {@link LocalVolumes#attach}: a node with an account of its own gets the volume mounted by the driver. */
    @Override
    public CloudVolume attachVolume(String volumeId, String vmId, String mountName) throws CloudException {
        return volumes.attach(volumeId, vmId, mountName);
    }

    @Override
    public void detachVolume(String volumeId) throws CloudException {
        volumes.detach(volumeId);
    }

    @Override
    public void deleteVolume(String volumeId) throws CloudException {
        volumes.delete(volumeId);
    }
}
