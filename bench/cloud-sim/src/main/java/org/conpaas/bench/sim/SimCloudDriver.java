package org.conpaas.bench.sim;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.conpaas.api.CloudException;
import org.conpaas.api.cloud.CloudCapability;
import org.conpaas.api.cloud.CloudDriver;
import org.conpaas.api.cloud.CloudNode;
import org.conpaas.api.cloud.CloudNodeState;
import org.conpaas.api.cloud.LaunchRequest;
import org.conpaas.api.cloud.NodeLaunch;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;

/**
 * A cloud for the scale benchmark only: each node is a simulated agent in one separate simulator process (bench/scale.sh
 * starts it), which receives the node's user data as a real machine would and serves the agent protocol with the
 * node's own certificate on its own loopback address. The director sees an ordinary cloud; nothing here is shipped.
 */
@Designate(ocd = SimCloudConfig.class, factory = true)
@Component(configurationPid = "org.conpaas.cloud.sim", configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = CloudDriver.class, property = CloudDriver.TYPE_PROPERTY + "=sim")
public class SimCloudDriver implements CloudDriver {

    private final String name;
    private final SimulatorClient simulator;

    @Activate
    public SimCloudDriver(SimCloudConfig config) {
        this.name = config.name();
        this.simulator = new SimulatorClient(config.simulatorUrl(), config.token());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return "sim";
    }

    @Override
    public Set<CloudCapability> capabilities() {
        return Set.of();
    }

    @Override
    public List<CloudNode> launch(LaunchRequest request) {
        List<CloudNode> nodes = new ArrayList<>();
        for (NodeLaunch launch : request.nodes()) {
            try {
                String[] started = simulator.launch(launch.nodeId(), launch.userData());
                request.listener().machineCreated(launch.nodeId(), started[0]);
                nodes.add(new CloudNode(started[0], launch.nodeId(), started[1], Integer.parseInt(started[2]),
                        CloudNodeState.RUNNING, null));
            } catch (CloudException | NumberFormatException e) {
                nodes.add(CloudNode.failed(null, launch.nodeId(), e.getMessage()));
            }
        }
        return nodes;
    }

    @Override
    public List<CloudNode> describe(Collection<String> vmIds) {
        Set<String> wanted = new HashSet<>(vmIds);
        return list().stream().filter(n -> wanted.contains(n.vmId())).toList();
    }

    @Override
    public List<CloudNode> list() {
        return simulator.list().stream()
                .map(f -> new CloudNode(f[0], f[1], f[2], Integer.parseInt(f[3]), CloudNodeState.RUNNING, null))
                .toList();
    }

    @Override
    public void terminate(Collection<String> vmIds) {
        if (!vmIds.isEmpty()) {
            simulator.terminate(List.copyOf(vmIds));
        }
    }
}
