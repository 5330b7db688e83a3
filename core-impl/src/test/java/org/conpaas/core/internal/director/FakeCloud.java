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
import org.conpaas.api.cloud.LaunchRequest;
import org.conpaas.api.cloud.NodeLaunch;

/** A cloud that keeps its machines in a map; {@link #failLaunches} makes it refuse. */
final class FakeCloud implements CloudDriver {
    final Map<String, CloudNode> machines = new ConcurrentHashMap<>();
    final List<NodeLaunch> launched = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();
    volatile boolean failLaunches;

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
        return Set.of();
    }

    @Override
    public synchronized List<CloudNode> launch(LaunchRequest request) {
        if (failLaunches) {
            throw new CloudException("quota exceeded");
        }
        List<CloudNode> result = new ArrayList<>();
        for (NodeLaunch launch : request.nodes()) {
            int n = next.incrementAndGet();
            CloudNode node = new CloudNode("vm-" + n, launch.nodeId(), "127.9.0." + n, CloudNodeState.RUNNING, null);
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
}
