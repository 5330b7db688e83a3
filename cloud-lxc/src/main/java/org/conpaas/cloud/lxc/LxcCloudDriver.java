package org.conpaas.cloud.lxc;

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
import org.conpaas.api.cloud.NodeSize;
import org.conpaas.service.support.host.DirectorRelay;
import org.conpaas.service.support.host.LaunchPool;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The LXC cloud: every node is a Linux container cloned from a busybox base ({@link BaseContainer}) that sees the
 * host's programs read-only, with an address of its own on the cloud's private bridge ({@link Bridge}) and cgroup
 * limits ({@link ContainerConfig}); its init runs the node's user data, which downloads the agent from the director
 * (through the {@link DirectorRelay}) and becomes it. Everything the driver knows is on disk
 * ({@link NodeContainers}): a restarted director finds its running containers again, and stopping the driver never
 * stops a container. The containers are unprivileged ({@link IdRange}): each node's root is a uid of its own on the
 * host. Needs root (the id mappings, bridges, mounts): otherwise the cloud stays registered
 * and unavailable with the reason.
 * <p>
 * The component registers the {@link CloudDriver} service itself because its {@value #NAME_PROPERTY} comes from the
 * configured {@code name}, which DS cannot rename.
 */
@Designate(ocd = LxcCloudConfig.class, factory = true)
@Component(configurationPid = LxcCloudDriver.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
public class LxcCloudDriver implements CloudDriver {

    public static final String PID = "org.conpaas.cloud.lxc";
    public static final String TYPE = "lxc";

    private static final Logger LOG = LoggerFactory.getLogger(LxcCloudDriver.class);
    private static final int LAUNCH_THREADS = 2;

    private final LxcSettings settings;
    private final String unavailableReason;
    private final Bridge bridge;
    private final LxcTools lxc;
    private final NodeContainers containers;
    private final ContainerAddresses addresses;
    private final LxcVolumes volumes;
    private final LaunchPool launchPool;
    /** Nodes whose launch is under way: they have a folder but maybe no container yet. */
    private final Set<String> launching = ConcurrentHashMap.newKeySet();
    private DirectorRelay relay;
    private ServiceRegistration<CloudDriver> registration;

    @Activate
    public LxcCloudDriver(LxcCloudConfig config, @Reference ConfigurationAdmin configs) {
        this(LxcSettings.from(config), currentUid(), HostAccounts.FILES, OtherClouds.of(configs, config.name()));
    }

    LxcCloudDriver(LxcSettings settings, long uid) {
        this(settings, uid, HostAccounts.FILES, List.of());
    }

    LxcCloudDriver(LxcSettings settings, long uid, List<Path> accountFiles, List<OtherClouds.MappedIds> others) {
        this.settings = settings;
        this.unavailableReason = unavailableReason(settings, uid, accountFiles, others);
        this.lxc = new LxcTools(settings.dataDir().resolve("containers"), settings.name());
        this.bridge = new Bridge(settings.bridge(), settings.bridgeAddress());
        this.containers = new NodeContainers(settings, lxc, new BaseContainer(lxc, settings));
        this.addresses = new ContainerAddresses(settings.addresses(), containers);
        this.volumes = new LxcVolumes(settings.name(), settings.dataDir().resolve("volumes"), containers);
        this.launchPool = new LaunchPool("cloud-lxc-" + settings.name(), LAUNCH_THREADS);
        if (unavailableReason == null) {
            startUp();
        } else {
            LOG.warn(unavailableReason);
        }
    }

    /** The bridge and the relay, and what a crash left; running containers are kept as they are. */
    private void startUp() {
        try {
            Files.createDirectories(settings.dataDir());
            containers.removeOrphanContainers();
            containers.openPaths();
            bridge.ensure();
            if (settings.relays()) {
                relay = DirectorRelay.start(Ipv4.format(settings.bridgeAddress().address()), settings.relayHost(),
                        settings.relayPort(), "cloud-lxc-" + settings.name());
            }
        } catch (IOException | RuntimeException e) {
            // the launches say why, one by one; the cloud stays listed
            LOG.error("cloud {} (LXC) cannot start: {}", settings.name(), e.getMessage());
        }
    }

    @Activate
    void register(BundleContext context) {
        registration = context.registerService(CloudDriver.class, this, serviceProperties());
        LOG.info("LXC cloud {} ready: bridge {} ({}), addresses {}, data in {}, {} MB and {} cpu shares per node",
                settings.name(), settings.bridge(), settings.bridgeAddress(), settings.addresses(),
                settings.dataDir(), settings.memoryMb(), settings.cpuShares());
    }

    /** Unregisters and stops relaying; the containers keep running. */
    @Deactivate
    void close() {
        if (registration != null) {
            registration.unregister();
            registration = null;
        }
        if (relay != null) {
            relay.close();
            relay = null;
        }
        launchPool.close();
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
        return EnumSet.of(CloudCapability.VOLUMES, CloudCapability.NODE_SIZES);
    }

    /** All containers of this cloud run on this host and bind {@code <dataDir>/host-share} read-only. */
    @Override
    public Optional<HostShare> hostShare() {
        Path share = ContainerConfig.hostShare(settings);
        return Optional.of(new HostShare(share, share));
    }

    @Override
    public String unavailableReason() {
        return unavailableReason;
    }

    /** The settings in force. */
    LxcSettings settings() {
        return settings;
    }

    /** Launches each node in parallel; one that fails is reported FAILED with the reason and leaves nothing. */
    @Override
    public List<CloudNode> launch(LaunchRequest request) throws CloudException {
        checkAvailable();
        try {
            bridge.ensure(); // someone may have deleted it since the start
            containers.openPaths();
            // every container binds it (ContainerConfig): a missing source aborts the container's start
            Files.createDirectories(ContainerConfig.hostShare(settings));
        } catch (IOException e) {
            throw new CloudException(e.getMessage(), e);
        }
        return launchPool.launchAll(request.nodes(), node -> launchOne(node, request.listener(), request.size()));
    }

    /** {@code size}: what the add-nodes request asked for, else the configuration's memoryMb and cpuShares. */
    private CloudNode launchOne(NodeLaunch node, LaunchListener listener, NodeSize size) {
        String vmId;
        try {
            vmId = containers.reserveId();
        } catch (IOException e) {
            return CloudNode.failed(null, node.nodeId(), "cloud " + name() + " cannot create a node folder: "
                    + e.getMessage());
        }
        launching.add(vmId);
        try {
            listener.machineCreated(node.nodeId(), vmId);
            ContainerRecord record = addresses.allocate(vmId, address -> new ContainerRecord(vmId, node.nodeId(),
                    node.role(), address, size.memoryMbOr(settings.memoryMb()), size.cpuSharesOr(settings.cpuShares()),
                    settings.ids(address)));
            containers.create(record, node.userData());
            containers.start(vmId);
            LOG.info("cloud {}: node {} started as container {} on {} ({})", name(), node.nodeId(), vmId,
                    record.address(), record.limits());
            return new CloudNode(vmId, node.nodeId(), record.address(), settings.agentPort(), CloudNodeState.RUNNING,
                    "container " + vmId + ", " + record.limits());
        } catch (IOException | RuntimeException e) {
            String reason = e instanceof CloudException ? e.getMessage() : "cannot launch node " + node.nodeId()
                    + " on cloud " + name() + ": " + e.getMessage();
            try {
                containers.delete(vmId);
            } catch (IOException | RuntimeException cleanup) {
                LOG.warn("cloud {}: cannot remove the failed container {}: {}", name(), vmId, cleanup.getMessage());
            }
            return CloudNode.failed(vmId, node.nodeId(), reason);
        } finally {
            launching.remove(vmId);
        }
    }

    @Override
    public List<CloudNode> describe(Collection<String> vmIds) throws CloudException {
        List<CloudNode> described = new ArrayList<>();
        try {
            for (String vmId : new LinkedHashSet<>(vmIds)) {
                if (containers.exists(vmId)) {
                    described.add(describeOne(vmId));
                }
            }
        } catch (IOException e) {
            throw new CloudException("cloud " + name() + " cannot describe its containers: " + e.getMessage(), e);
        }
        return described;
    }

    /** The containers of this cloud: its own folder, names of its prefix only. */
    @Override
    public List<CloudNode> list() throws CloudException {
        if (unavailableReason != null) {
            return List.of();
        }
        try {
            return describe(containers.vmIds());
        } catch (IOException e) {
            throw new CloudException("cannot list the containers of cloud " + name() + ": " + e.getMessage(), e);
        }
    }

    private CloudNode describeOne(String vmId) throws IOException {
        ContainerRecord record = containers.read(vmId).orElse(null);
        boolean starting = launching.contains(vmId);
        String state = record == null ? null : containers.state(vmId);
        if ("RUNNING".equals(state)) {
            return new CloudNode(vmId, record.nodeId(), record.address(), settings.agentPort(),
                    CloudNodeState.RUNNING, "container " + vmId + ", " + record.limits());
        }
        String address = record == null ? null : record.address();
        String nodeId = record == null ? null : record.nodeId();
        if (starting || (state != null && state.endsWith("ING") && !state.equals("STOPPING"))) {
            return new CloudNode(vmId, nodeId, address, settings.agentPort(), CloudNodeState.PENDING, "starting");
        }
        return new CloudNode(vmId, nodeId, address, settings.agentPort(), CloudNodeState.TERMINATED,
                record == null ? "the launch was interrupted" : "container " + vmId + " is " + (state == null
                        ? "gone" : state.toLowerCase()) + "; see " + containers.nodeDir(vmId).resolve("lxc.log"));
    }

    /** Kills and destroys the containers; their addresses are free once their folders are gone. */
    @Override
    public void terminate(Collection<String> vmIds) throws CloudException {
        List<String> failures = new ArrayList<>();
        List<String> deleted = new ArrayList<>();
        for (String vmId : new LinkedHashSet<>(vmIds)) {
            if (!containers.exists(vmId)) {
                continue;
            }
            try {
                containers.delete(vmId);
                deleted.add(vmId);
            } catch (IOException | RuntimeException e) {
                failures.add(vmId + ": " + e.getMessage());
            }
        }
        volumes.forgetAttachmentsTo(deleted);
        if (!failures.isEmpty()) {
            throw new CloudException("cloud " + name() + " could not remove containers: " + String.join("; ",
                    failures));
        }
    }

    /** The limits the kernel enforces on a running container, e.g. memory.limit_in_bytes. */
    String enforcedLimit(String vmId, String cgroupKey) throws IOException {
        if (!containers.exists(vmId)) {
            throw new CloudException("cloud " + name() + " has no container " + vmId);
        }
        return lxc.cgroup(vmId, cgroupKey);
    }

    @Override
    public CloudVolume createVolume(String volumeName, int sizeMb) throws CloudException {
        checkAvailable();
        try {
            return volumes.create(volumeName, sizeMb);
        } catch (IOException e) {
            throw new CloudException("cloud " + name() + " cannot create volume " + volumeName + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public CloudVolume attachVolume(String volumeId, String vmId) throws CloudException {
        return attachVolume(volumeId, vmId, null);
    }

    /** With a mount name the driver mounts it where the node's agent finds it (the container has no loop device). */
    @Override
    public CloudVolume attachVolume(String volumeId, String vmId, String mountName) throws CloudException {
        checkAvailable();
        try {
            return volumes.attach(volumeId, vmId, mountName);
        } catch (IOException e) {
            throw new CloudException("cloud " + name() + " cannot attach volume " + volumeId + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void detachVolume(String volumeId) throws CloudException {
        try {
            volumes.detach(volumeId);
        } catch (IOException e) {
            throw new CloudException("cloud " + name() + " cannot detach volume " + volumeId + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void deleteVolume(String volumeId) throws CloudException {
        try {
            volumes.delete(volumeId);
        } catch (IOException e) {
            throw new CloudException("cloud " + name() + " cannot delete volume " + volumeId + ": "
                    + e.getMessage(), e);
        }
    }

    private void checkAvailable() {
        if (unavailableReason != null) {
            throw new CloudException(unavailableReason);
        }
    }

    /** Why this host cannot run the cloud's containers, or null. */
    private static String unavailableReason(LxcSettings settings, long uid, List<Path> accountFiles,
            List<OtherClouds.MappedIds> others) {
        String cloud = "cloud " + settings.name() + " (LXC)";
        if (uid != 0) {
            return cloud + " needs the director to run as root; it runs as uid " + uid;
        }
        if (!LxcTools.installed()) {
            return cloud + " needs the Debian package lxc: lxc-start is not installed";
        }
        Optional<String> account = HostAccounts.firstIn(settings.firstMappedId(), settings.lastMappedId(),
                accountFiles);
        if (account.isPresent()) {
            return cloud + ": its containers' host ids " + settings.firstMappedId() + "-" + settings.lastMappedId()
                    + " hold the account " + account.get() + "; choose another idmapBase";
        }
        for (OtherClouds.MappedIds other : others) {
            if (other.overlaps(settings.firstMappedId(), settings.lastMappedId())) {
                return cloud + ": its containers' host ids " + settings.firstMappedId() + "-"
                        + settings.lastMappedId() + " overlap those of the LXC cloud " + other.cloud() + " ("
                        + other.first() + "-" + other.last() + "), so their containers could share uids; give one "
                        + "of them another idmapBase";
            }
        }
        return null;
    }

    private static long currentUid() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
        } catch (IOException | UnsupportedOperationException e) {
            return -1;
        }
    }
}
