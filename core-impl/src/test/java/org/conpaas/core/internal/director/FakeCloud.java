package org.conpaas.core.internal.director;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.conpaas.api.CloudException;
import org.conpaas.api.cloud.CloudCapability;
import org.conpaas.api.cloud.CloudDriver;
import org.conpaas.api.cloud.CloudNode;
import org.conpaas.api.cloud.CloudNodeState;
import org.conpaas.api.cloud.CloudVolume;
import org.conpaas.api.cloud.LaunchRequest;
import org.conpaas.api.cloud.NodeLaunch;

/** A cloud that keeps its machines in a map; {@link #failLaunches} makes it refuse. */
final class FakeCloud implements CloudDriver {
    final Map<String, CloudNode> machines = new ConcurrentHashMap<>();
    final List<NodeLaunch> launched = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();
    volatile boolean failLaunches;
    /** When not negative: the nodes of a request beyond this many are reported FAILED (the cloud's capacity). */
    volatile int capacityPerRequest = -1;
    /** Called after the listener heard of a machine, before the launch returns (tests look at the database). */
    volatile java.util.function.Consumer<String> afterMachineCreated = vmId -> { };
    /** Volumes by id; a volume's attachedTo is the VM it is attached to. */
    final Map<String, CloudVolume> volumes = new ConcurrentHashMap<>();
    volatile boolean failAttach;
    /** Whether the cloud sizes nodes per request (NODE_SIZES); the sizes of the launches it was asked for. */
    volatile boolean sizesNodes;
    final List<org.conpaas.api.cloud.NodeSize> sizes = new ArrayList<>();
    /** The machine's shared folder, when a test gives the cloud one. */
    volatile org.conpaas.api.cloud.HostShare hostShare;

    @Override
    public java.util.Optional<org.conpaas.api.cloud.HostShare> hostShare() {
        return java.util.Optional.ofNullable(hostShare);
    }

    @Override
    public String name() {
        return "default";
    }

    @Override
    public String type() {
        return "fake";
    }

    @Override
    public Set<CloudCapability> capabilities() {
        return sizesNodes ? Set.of(CloudCapability.VOLUMES, CloudCapability.NODE_SIZES)
                : Set.of(CloudCapability.VOLUMES);
    }

    @Override
    public synchronized List<CloudNode> launch(LaunchRequest request) {
        sizes.add(request.size());
        if (failLaunches) {
            throw new CloudException("quota exceeded");
        }
        List<CloudNode> result = new ArrayList<>();
        for (NodeLaunch launch : request.nodes()) {
            if (capacityPerRequest >= 0 && result.size() >= capacityPerRequest) {
                result.add(CloudNode.failed(null, launch.nodeId(), "no capacity left in zone z1"));
                continue;
            }
            int n = next.incrementAndGet();
            CloudNode node = new CloudNode("vm-" + n, launch.nodeId(), "127.9.0." + n, 5555, CloudNodeState.RUNNING,
                    null);
            request.listener().machineCreated(launch.nodeId(), node.vmId());
            afterMachineCreated.accept(node.vmId());
            machines.put(node.vmId(), node);
            launched.add(launch);
            result.add(node);
        }
        return result;
    }

    @Override
    public List<CloudNode> describe(Collection<String> vmIds) {
        return vmIds.stream().map(machines::get).filter(n -> n != null).toList();
    }

    @Override
    public List<CloudNode> list() {
        return List.copyOf(machines.values());
    }

    @Override
    public void terminate(Collection<String> vmIds) {
        vmIds.forEach(machines::remove);
    }

    @Override
    public CloudVolume createVolume(String name, int sizeMb) {
        CloudVolume volume = new CloudVolume("vol-" + next.incrementAndGet(), name, sizeMb, null, null);
        volumes.put(volume.id(), volume);
        return volume;
    }

    @Override
    public CloudVolume attachVolume(String volumeId, String vmId) {
        if (failAttach) {
            throw new CloudException("no free device");
        }
        CloudVolume volume = volumes.get(volumeId);
        CloudVolume attached = new CloudVolume(volumeId, volume.name(), volume.sizeMb(), vmId, "/dev/fake/" + volumeId);
        volumes.put(volumeId, attached);
        return attached;
    }

    @Override
    public void detachVolume(String volumeId) {
        volumes.computeIfPresent(volumeId, (id, v) -> new CloudVolume(id, v.name(), v.sizeMb(), null, null));
    }

    @Override
    public void deleteVolume(String volumeId) {
        volumes.remove(volumeId);
    }
}
