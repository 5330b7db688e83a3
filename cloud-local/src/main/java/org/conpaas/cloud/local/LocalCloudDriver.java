package org.conpaas.cloud.local;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.conpaas.api.CloudException;
import org.conpaas.api.InvalidInputException;
import org.conpaas.api.cloud.CloudCapability;
import org.conpaas.api.cloud.CloudDriver;
import org.conpaas.api.cloud.CloudNode;
import org.conpaas.api.cloud.CloudNodeState;
import org.conpaas.api.cloud.CloudVolume;
import org.conpaas.api.cloud.LaunchListener;
import org.conpaas.api.cloud.LaunchRequest;
import org.conpaas.api.cloud.NodeLaunch;
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
 * The built-in cloud: every node is a process on this host with its own loopback address and folder
 * {@code <dataDir>/nodes/<vmId>/} (see {@link NodeStore}) that runs the node's user data, which downloads the agent
 * from the director and becomes it ({@link NodeLauncher}), as a real cloud's machine would; as root each node runs
 * as an account of its own ({@link NodeAccounts}), otherwise as the director's account in a {@link NodeSandbox}.
 * The agent port is this cloud's {@code port} setting, reported with each node. All state is on disk, so a
 * restarted director finds its nodes again; stopping the driver never stops nodes. A volume is a sparse image file
 * {@code <dataDir>/volumes/<id>.img}; attaching it hands its path to the node's agent as the device, which formats it
 * as ext4 and loop-mounts it, or, for a node with an account of its own (which cannot mount), the driver does that
 * itself ({@link VolumeMountPoints}). A sandboxed node sees neither the image nor a way to mount it: volumes need root.
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

    private static final Logger LOG = LoggerFactory.getLogger(LocalCloudDriver.class);
    private static final int LAUNCH_THREADS = 4;

    /** Replaced by {@link #modified} with the settings that apply live (javaHome, javaOptions). */
    private volatile LocalCloudSettings settings;
    private final NodeStore nodes;
    private final VolumeStore volumes;
    /** Volume records change under this lock, so attach and detach never race on one record. */
    private final Object volumeLock = new Object();
    private final AddressPool addresses;
    private final NodeAccounts accounts;
    private final NodeSandbox sandbox;
    /** Replaced with {@link #settings}: a launch under way keeps the launcher it started with. */
    private volatile NodeLauncher launcher;
    private final ThreadPoolExecutor launchPool;
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
        this.volumes = new VolumeStore(dataDir.resolve("volumes"));
        this.addresses = new AddressPool(settings.addresses(), dataDir.resolve("addresses"), settings.port(),
                nodes::exists);
        this.accounts = new NodeAccounts(settings.nodeUids(), separateAccounts, nodes);
        this.sandbox = sandbox;
        this.launcher = new NodeLauncher(settings, nodes, addresses, accounts, sandbox);
        AtomicInteger threadNumber = new AtomicInteger();
        this.launchPool = new ThreadPoolExecutor(LAUNCH_THREADS, LAUNCH_THREADS, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "cloud-local-" + settings.name() + "-launch-"
                            + threadNumber.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        launchPool.allowCoreThreadTimeOut(true);
    }

    @Activate
    void register(BundleContext context) {
        registration = context.registerService(CloudDriver.class, this, serviceProperties());
        LOG.info("local cloud {} ready: addresses {}-{}, data in {}, nodes run as {}", settings.name(),
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
        LocalCloudSettings live = new LocalCloudSettings(current.name(), current.addresses(), current.port(),
                current.dataDir(), wanted.javaHome(), wanted.javaOptions(), current.nodeUids());
        if (!live.equals(current)) {
            settings = live;
            launcher = new NodeLauncher(live, nodes, addresses, accounts, sandbox);
            LOG.info("local cloud {}: nodes launched from now on use Java {} with '{}'", live.name(), live.javaHome(),
                    live.javaOptions());
        }
        if (!wanted.equals(live)) {
            LOG.warn("local cloud {}: name, dataDir, addressRange, port and nodeUids are read when the driver starts; "
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
        launchPool.shutdownNow();
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
     * Launches each node in parallel: a folder (its machine id, told to the listener at once), an address, an account
     * or a sandbox, then its user data run there. A node that cannot be launched is reported FAILED with the reason
     * and leaves nothing behind; the others are kept (the director decides what a partly launched batch means).
     */
    @Override
    public List<CloudNode> launch(LaunchRequest request) throws CloudException {
        accounts.prepareDataDir(settings.dataDir(), settings.javaHome());
        if (!accounts.separate()) {
            sandbox.check(); // never an unconfined node: without bubblewrap, no node at all
        }
        NodeLauncher current = launcher;
        List<Future<CloudNode>> started = new ArrayList<>();
        for (NodeLaunch node : request.nodes()) {
            started.add(launchPool.submit(() -> launchOne(current, node, request.listener())));
        }
        List<CloudNode> launched = new ArrayList<>();
        for (int i = 0; i < started.size(); i++) {
            String nodeId = request.nodes().get(i).nodeId();
            try {
                launched.add(started.get(i).get());
            } catch (ExecutionException e) {
                launched.add(CloudNode.failed(null, nodeId, e.getCause().getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                launched.add(CloudNode.failed(null, nodeId, "interrupted while launching"));
            }
        }
        return launched;
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
        forgetAttachmentsTo(deleted);
        if (!failures.isEmpty()) {
            throw new CloudException("cloud " + name() + " could not remove node directories: "
                    + String.join("; ", failures));
        }
    }

    @Override
    public CloudVolume createVolume(String volumeName, int sizeMb) throws CloudException {
        if (volumeName == null || volumeName.isBlank() || volumeName.length() > 255
                || volumeName.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidInputException("name", "a volume name is 1 to 255 printable characters; got '"
                    + volumeName + "'");
        }
        if (sizeMb < 1) {
            throw new InvalidInputException("sizeMb", "a volume needs at least 1 MB; got " + sizeMb);
        }
        accounts.prepareDataDir(settings.dataDir(), settings.javaHome());
        try {
            VolumeRecord volume = volumes.create(volumeName, sizeMb);
            LOG.info("cloud {}: volume {} ({}, {} MB) created", name(), volume.id(), volumeName, sizeMb);
            return volume.toCloudVolume(volumes.image(volume.id()));
        } catch (IOException e) {
            throw new CloudException("cloud " + name() + " cannot create volume " + volumeName + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public CloudVolume attachVolume(String volumeId, String vmId) throws CloudException {
        return attachVolume(volumeId, vmId, null);
    }

    /**
     * A node with an account of its own cannot mount: the driver mounts the volume for it at
     * {@code <node>/media/<mountName>}, formatted as ext4 (owned by the node's account) when it is blank, where the
     * node's agent then finds it.
     */
    @Override
    public CloudVolume attachVolume(String volumeId, String vmId, String mountName) throws CloudException {
        synchronized (volumeLock) {
            VolumeRecord volume = volumes.read(volumeId).orElseThrow(() -> new CloudException("cloud " + name()
                    + " has no volume " + volumeId));
            if (!nodes.exists(vmId)) {
                throw new CloudException("cloud " + name() + " has no node " + vmId + " to attach volume "
                        + volumeId + " to");
            }
            if (volume.attachedTo() != null && !volume.attachedTo().equals(vmId)) {
                throw new CloudException("volume " + volumeId + " is already attached to node "
                        + volume.attachedTo());
            }
            try {
                NodeRecord node = nodes.read(vmId).orElse(null);
                if (mountName != null && node != null && node.ownAccount()) {
                    if (!VolumeMountPoints.isValidName(mountName)) {
                        throw new InvalidInputException("name", "'" + mountName + "' is not a valid volume name");
                    }
                    VolumeMountPoints.mount(volumes.image(volumeId), nodes.mediaDir(vmId).resolve(mountName),
                            node.uid());
                }
                VolumeRecord attached = volume.attachedTo(vmId);
                volumes.write(attached);
                LOG.info("cloud {}: volume {} attached to {}", name(), volumeId, vmId);
                return attached.toCloudVolume(volumes.image(volumeId));
            } catch (IOException e) {
                throw new CloudException("cloud " + name() + " cannot attach volume " + volumeId + ": "
                        + e.getMessage(), e);
            }
        }
    }

    /** Takes the volume away from its node: whatever still has its image mounted loses it. */
    @Override
    public void detachVolume(String volumeId) throws CloudException {
        synchronized (volumeLock) {
            VolumeRecord volume = volumes.read(volumeId).orElse(null);
            if (volume == null) {
                return;
            }
            try {
                VolumeMountPoints.removeEmpty(Mounts.release(volumes.image(volumeId)), nodes.nodesDir());
                if (volume.attachedTo() != null) {
                    volumes.write(volume.attachedTo(null));
                    LOG.info("cloud {}: volume {} detached from {}", name(), volumeId, volume.attachedTo());
                }
            } catch (IOException e) {
                throw new CloudException("cloud " + name() + " cannot detach volume " + volumeId + ": "
                        + e.getMessage(), e);
            }
        }
    }

    @Override
    public void deleteVolume(String volumeId) throws CloudException {
        synchronized (volumeLock) {
            if (volumes.read(volumeId).isEmpty()) {
                return;
            }
            try {
                Mounts.release(volumes.image(volumeId)); // in case it was never detached
                volumes.delete(volumeId);
                LOG.info("cloud {}: volume {} deleted", name(), volumeId);
            } catch (IOException e) {
                throw new CloudException("cloud " + name() + " cannot delete volume " + volumeId + ": "
                        + e.getMessage(), e);
            }
        }
    }

    /** The mounts went with the node directories; the volumes stay, free to be attached elsewhere. */
    private void forgetAttachmentsTo(List<String> vmIds) {
        synchronized (volumeLock) {
            try {
                for (VolumeRecord volume : volumes.all()) {
                    if (volume.attachedTo() != null && vmIds.contains(volume.attachedTo())) {
                        volumes.write(volume.attachedTo(null));
                    }
                }
            } catch (IOException e) {
                LOG.warn("cloud {}: cannot update the volumes of terminated nodes: {}", name(), e.getMessage());
            }
        }
    }
}
