package org.conpaas.cloud.openstack;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.conpaas.api.CloudException;
import org.conpaas.api.cloud.CloudCapability;
import org.conpaas.api.cloud.CloudDriver;
import org.conpaas.api.cloud.CloudNode;
import org.conpaas.api.cloud.CloudNodeState;
import org.conpaas.api.cloud.CloudVolume;
import org.conpaas.api.cloud.LaunchListener;
import org.conpaas.api.cloud.LaunchRequest;
import org.conpaas.api.cloud.NodeLaunch;
import org.openstack4j.api.Builders;
import org.openstack4j.model.compute.Server;
import org.openstack4j.model.compute.builder.ServerCreateBuilder;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cloud of OpenStack servers (Keystone v3 or v2.0, Nova, Neutron, Glance v2, Cinder through openstack4j, embedded in this
 * bundle). Each node is a server booted with the director's user data (cloud-init runs it), tagged with the
 * {@link ServerTags} by which {@link #list()} finds this director's servers and nothing else. The agent port is the
 * configured {@code agentPort}; the security groups must open it to the director.
 * <p>
 * The credentials are checked when the driver starts, on a thread of its own (an unreachable cloud must not hold up
 * the director): a refusal is the cloud's {@link #unavailableReason()}, which the director lists, until a later
 * call succeeds. The component registers its service itself because the {@value #NAME_PROPERTY} property comes from
 * the configured name.
 */
@Designate(ocd = OpenStackCloudConfig.class, factory = true)
@Component(configurationPid = OpenStackCloudDriver.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
public class OpenStackCloudDriver implements CloudDriver {

    public static final String PID = "org.conpaas.cloud.openstack";
    public static final String TYPE = "openstack";

    private static final Logger LOG = LoggerFactory.getLogger(OpenStackCloudDriver.class);
    private static final int LAUNCH_THREADS = 4;

    private final OpenStackSettings settings;
    private final OpenStackSession session;
    private final FloatingAddresses floatingAddresses;
    private final Volumes volumes;
    private final ExecutorService launchPool;
    private volatile String unavailableReason;
    private ServiceRegistration<CloudDriver> registration;

    @Activate
    public OpenStackCloudDriver(OpenStackCloudConfig config) {
        this(OpenStackSettings.from(config), Duration.ofSeconds(1));
    }

    OpenStackCloudDriver(OpenStackSettings settings, Duration pollInterval) {
        this.settings = settings;
        this.session = new OpenStackSession(settings);
        Waits waits = new Waits(settings.name(), settings.waitTimeout(), pollInterval);
        this.floatingAddresses = new FloatingAddresses(session, settings, waits);
        this.volumes = new Volumes(session, settings, waits);
        AtomicInteger threads = new AtomicInteger();
        this.launchPool = Executors.newFixedThreadPool(LAUNCH_THREADS, r -> {
            Thread t = new Thread(r, "cloud-openstack-" + settings.name() + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Activate
    void register(BundleContext context) {
        registration = context.registerService(CloudDriver.class, this, serviceProperties());
        launchPool.execute(this::checkCredentials);
    }

    /** Authenticates once; a refusal makes the cloud unavailable (listed with the reason) until a call succeeds. */
    void checkCredentials() {
        try {
            session.authenticate();
            unavailableReason = null;
            LOG.info("{} ready", settings);
        } catch (CloudException e) {
            unavailableReason = e.getMessage();
            LOG.warn("{} is unavailable: {}", settings, e.getMessage());
        }
    }

    @Deactivate
    void close() {
        if (registration != null) {
            registration.unregister();
            registration = null;
        }
        launchPool.shutdownNow();
    }

    /** For tests: the settings in force. */
    OpenStackSettings settingsForTest() {
        return settings;
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
        return settings.floatingIp() == OpenStackSettings.FloatingIpMode.NONE ? EnumSet.of(CloudCapability.VOLUMES)
                : EnumSet.of(CloudCapability.VOLUMES, CloudCapability.PUBLIC_ADDRESSES);
    }

    @Override
    public String unavailableReason() {
        return unavailableReason;
    }

    /**
     * Resolves the image, flavor and networks once, then creates the servers in parallel. A server Nova refuses
     * (quota, unknown flavor or image) is a FAILED node with Nova's reason; the others are kept.
     */
    @Override
    public List<CloudNode> launch(LaunchRequest request) throws CloudException {
        LaunchTemplate template = available(() -> LaunchTemplate.resolve(session, settings));
        List<Future<CloudNode>> started = new ArrayList<>();
        for (NodeLaunch node : request.nodes()) {
            started.add(launchPool.submit(() -> launchOne(template, request.deploymentName(), node,
                    request.listener())));
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
                launched.add(CloudNode.failed(null, nodeId, "interrupted while launching on cloud " + name()));
            }
        }
        return launched;
    }

    private CloudNode launchOne(LaunchTemplate template, String deployment, NodeLaunch node,
            LaunchListener listener) {
        ServerCreateBuilder create = Builders.server()
                .name(node.name())
                .image(template.imageId())
                .flavor(template.flavorId())
                .userData(Base64.getEncoder().encodeToString(node.userData().getBytes(StandardCharsets.UTF_8)))
                .addMetadata(ServerTags.of(settings.owner(), deployment, node.nodeId()));
        if (!template.networkIds().isEmpty()) {
            create.networks(template.networkIds());
        }
        if (!settings.keyPair().isEmpty()) {
            create.keypairName(settings.keyPair());
        }
        settings.securityGroups().forEach(create::addSecurityGroup);
        Server server;
        try {
            server = session.call("launch a server", os -> os.compute().servers().boot(create.build()));
        } catch (CloudException e) {
            return CloudNode.failed(null, node.nodeId(), e.getMessage());
        }
        listener.machineCreated(node.nodeId(), server.getId());
        LOG.info("cloud {}: server {} created for node {}", name(), server.getId(), node.nodeId());
        String floatingAddress = null;
        if (template.floatingNetworkId() != null) {
            try {
                floatingAddress = floatingAddresses.attach(server.getId(), template.floatingNetworkId());
            } catch (CloudException e) {
                return CloudNode.failed(server.getId(), node.nodeId(), e.getMessage());
            }
        }
        return new CloudNode(server.getId(), node.nodeId(), floatingAddress, settings.agentPort(),
                CloudNodeState.PENDING, "server " + server.getId() + ", flavor " + template.flavorId() + ", image "
                        + template.imageId());
    }

    @Override
    public List<CloudNode> describe(Collection<String> vmIds) throws CloudException {
        List<CloudNode> described = new ArrayList<>();
        for (String vmId : new LinkedHashSet<>(vmIds)) {
            Server server = available(() -> ownServer(vmId));
            if (server != null) {
                described.add(ServerTags.describe(server, preferFloating(), settings.agentPort()));
            }
        }
        return described;
    }

    @Override
    public List<CloudNode> list() throws CloudException {
        List<? extends Server> servers = available(() -> session.call("list servers",
                os -> os.compute().servers().list(true)));
        return servers.stream().filter(s -> ServerTags.isOwnedBy(s, settings.owner()))
                .map(s -> ServerTags.describe(s, preferFloating(), settings.agentPort())).toList();
    }

    /**
     * Deletes this director's servers among {@code vmIds}, after releasing the floating addresses the driver gave
     * them; unknown servers and servers of others are left alone.
     */
    @Override
    public void terminate(Collection<String> vmIds) throws CloudException {
        List<String> own = new ArrayList<>();
        for (String vmId : new LinkedHashSet<>(vmIds)) {
            if (available(() -> ownServer(vmId)) != null) {
                own.add(vmId);
            }
        }
        if (settings.floatingIp() == OpenStackSettings.FloatingIpMode.POOL) {
            available(() -> {
                floatingAddresses.release(own);
                return null;
            });
        }
        for (String vmId : own) {
            available(() -> session.call("delete server " + vmId,
                    os -> Volumes.check(os.compute().servers().delete(vmId))));
            LOG.info("cloud {}: server {} deleted", name(), vmId);
        }
    }

    @Override
    public CloudVolume createVolume(String volumeName, int sizeMb) throws CloudException {
        CloudVolume volume = available(() -> volumes.create(volumeName, sizeMb));
        LOG.info("cloud {}: volume {} ({}, {} MB) created", name(), volume.id(), volumeName, volume.sizeMb());
        return volume;
    }

    @Override
    public CloudVolume attachVolume(String volumeId, String vmId) throws CloudException {
        if (available(() -> ownServer(vmId)) == null) {
            throw new CloudException("cloud " + name() + " (OpenStack) has no server " + vmId + " to attach volume "
                    + volumeId + " to.");
        }
        CloudVolume volume = available(() -> volumes.attach(volumeId, vmId));
        LOG.info("cloud {}: volume {} attached to {} as {}", name(), volumeId, vmId, volume.device());
        return volume;
    }

    @Override
    public void detachVolume(String volumeId) throws CloudException {
        available(() -> {
            volumes.detach(volumeId);
            return null;
        });
    }

    @Override
    public void deleteVolume(String volumeId) throws CloudException {
        available(() -> {
            volumes.delete(volumeId);
            return null;
        });
        LOG.info("cloud {}: volume {} deleted (if it existed)", name(), volumeId);
    }

    /** The server, when it exists and is this director's; else null. */
    private Server ownServer(String vmId) throws CloudException {
        if (vmId == null || vmId.isBlank() || vmId.length() > 255 || !vmId.matches("[A-Za-z0-9._-]+")) {
            return null; // not an id the cloud could have given: unknown
        }
        Server server = session.call("describe server " + vmId, os -> os.compute().servers().get(vmId));
        return server != null && ServerTags.isOwnedBy(server, settings.owner()) ? server : null;
    }

    private boolean preferFloating() {
        return settings.floatingIp() != OpenStackSettings.FloatingIpMode.NONE;
    }

    /** A cloud call that, by succeeding, shows the cloud usable again; a refused authentication makes it not. */
    private <T> T available(CloudCall<T> call) throws CloudException {
        try {
            T result = call.run();
            unavailableReason = null;
            return result;
        } catch (CloudErrors.CredentialsRefused e) {
            unavailableReason = e.getMessage();
            throw e;
        }
    }

    @FunctionalInterface
    private interface CloudCall<T> {
        T run() throws CloudException;
    }
}
