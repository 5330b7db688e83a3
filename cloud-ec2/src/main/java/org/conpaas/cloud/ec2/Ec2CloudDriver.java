package org.conpaas.cloud.ec2;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
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

/**
 * An Amazon EC2 cloud (AWS SDK for Java v2, embedded in this bundle): every node is an instance that boots from the
 * director's user data through cloud-init, tagged as this director's ({@link Ec2Tags}); volumes are EBS volumes.
 * The configuration is checked against the cloud when it is read; one the cloud refuses (credentials, image,
 * instance type, subnet...) keeps the cloud registered but unavailable, with the cloud's sentence as the reason.
 * <p>
 * It registers the {@link CloudDriver} service itself, since the
 * service's {@value #NAME_PROPERTY} comes from the configured name.
 */
@Designate(ocd = Ec2CloudConfig.class, factory = true)
@Component(configurationPid = Ec2CloudDriver.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, service = {}, immediate = true)
public class Ec2CloudDriver implements CloudDriver {

    public static final String PID = "org.conpaas.cloud.ec2";
    public static final String TYPE = "ec2";
    private static final int LAUNCH_THREADS = 4;

    private volatile Ec2Cloud cloud;
    private final ExecutorService launchPool;
    private ServiceRegistration<CloudDriver> registration;

    @Activate
    public Ec2CloudDriver(Ec2CloudConfig config) {
        this.cloud = open(config);
        String name = cloud.name();
        AtomicInteger threadNumber = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(LAUNCH_THREADS, LAUNCH_THREADS, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "cloud-ec2-" + name + "-launch-"
                            + threadNumber.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        this.launchPool = pool;
    }

    /** The configured cloud, checked; a malformed setting makes it unavailable (unless the name itself is bad). */
    private static Ec2Cloud open(Ec2CloudConfig config) {
        Ec2Settings settings;
        try {
            settings = Ec2Settings.from(config);
        } catch (InvalidInputException e) {
            if (config.name() == null || !Ec2Settings.NAME.matcher(config.name().trim()).matches()) {
                throw e; // nothing to list it under
            }
            return Ec2Cloud.misconfigured(config.name().trim(), e.getMessage());
        }
        return Ec2Cloud.connect(settings);
    }

    @Activate
    void register(BundleContext context) {
        registration = context.registerService(CloudDriver.class, this, serviceProperties());
    }

    /** A changed configuration is checked against the cloud again; an unchanged one is kept. */
    @Modified
    void modified(Ec2CloudConfig config) {
        Ec2Cloud current = cloud;
        try {
            if (Ec2Settings.from(config).equals(current.settings)) {
                return;
            }
        } catch (InvalidInputException malformed) {
            // open() makes it an unavailable cloud with this reason
        }
        cloud = open(config);
        current.close();
        if (registration != null) {
            registration.setProperties(serviceProperties());
        }
    }

    @Deactivate
    void deactivate() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework unregistered it with the bundle
            }
        }
        launchPool.shutdownNow();
        cloud.close();
    }

    @Override
    public String name() {
        return cloud.name();
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Set<CloudCapability> capabilities() {
        return EnumSet.of(CloudCapability.VOLUMES, CloudCapability.PUBLIC_ADDRESSES);
    }

    @Override
    public String unavailableReason() {
        return cloud.unavailableReason();
    }

    @Override
    public List<CloudNode> launch(LaunchRequest request) throws CloudException {
        Ec2Machines machines = cloud.machines();
        List<Future<CloudNode>> futures = new ArrayList<>();
        for (NodeLaunch node : request.nodes()) {
            futures.add(launchPool.submit(() -> machines.launch(node, request.listener())));
        }
        List<CloudNode> nodes = new ArrayList<>();
        for (int i = 0; i < futures.size(); i++) {
            String nodeId = request.nodes().get(i).nodeId();
            try {
                nodes.add(futures.get(i).get());
            } catch (ExecutionException e) {
                nodes.add(CloudNode.failed(null, nodeId, cloud.errors.sentence("launch " + nodeId, e.getCause())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                // the launches under way go on and tell the listener; the director releases what they create
                throw new CloudException(cloud.errors.cloudName() + " launch interrupted");
            }
        }
        if (!nodes.isEmpty() && nodes.stream().allMatch(n -> n.state() == CloudNodeState.FAILED && n.vmId() == null)
                && nodes.stream().allMatch(n -> n.detail().contains("refused the credentials")
                        || n.detail().contains("could not be reached"))) {
            // nothing was created and nothing could be: the request as a whole failed
            throw new CloudException(nodes.get(0).detail());
        }
        return nodes;
    }

    @Override
    public List<CloudNode> describe(Collection<String> vmIds) throws CloudException {
        return vmIds.isEmpty() ? List.of() : cloud.machines().describe(vmIds);
    }

    @Override
    public List<CloudNode> list() throws CloudException {
        return cloud.machines().list();
    }

    @Override
    public void terminate(Collection<String> vmIds) throws CloudException {
        if (!vmIds.isEmpty()) {
            cloud.machines().terminate(vmIds);
        }
    }

    @Override
    public CloudVolume createVolume(String name, int sizeMb) throws CloudException {
        return cloud.volumes().create(name, sizeMb);
    }

    @Override
    public CloudVolume attachVolume(String volumeId, String vmId) throws CloudException {
        return cloud.volumes().attach(volumeId, vmId);
    }

    @Override
    public void detachVolume(String volumeId) throws CloudException {
        cloud.volumes().detach(volumeId);
    }

    @Override
    public void deleteVolume(String volumeId) throws CloudException {
        cloud.volumes().delete(volumeId);
    }
}
