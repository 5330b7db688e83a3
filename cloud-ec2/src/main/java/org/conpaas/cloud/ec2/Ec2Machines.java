package org.conpaas.cloud.ec2;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;
import org.conpaas.api.CloudException;
import org.conpaas.api.cloud.CloudNode;
import org.conpaas.api.cloud.CloudNodeState;
import org.conpaas.api.cloud.LaunchListener;
import org.conpaas.api.cloud.NodeLaunch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;

/** The machines of one EC2 cloud: launch one node, describe, list and terminate, only ever this director's. */
final class Ec2Machines {

    private static final Logger LOG = LoggerFactory.getLogger(Ec2Machines.class);
    /** Instance ids per DescribeInstances/TerminateInstances call (EC2 takes up to 1000). */
    private static final int BATCH = 200;
    /** EC2 takes at most 16 KB of user data (before base64). */
    private static final int MAX_USER_DATA = 16 * 1024;

    private final Ec2Settings settings;
    private final Ec2Client ec2;
    private final Ec2Errors errors;
    private final Ec2Tags tags;
    private final Ec2Placement placement;

    Ec2Machines(Ec2Settings settings, Ec2Client ec2, Ec2Errors errors, Ec2Placement placement) {
        this.settings = settings;
        this.ec2 = ec2;
        this.errors = errors;
        this.tags = new Ec2Tags(settings);
        this.placement = placement;
    }

    /**
     * Launches one node: one RunInstances call with the node's user data, tags and instance type. Tells the listener
     * the instance id as soon as EC2 answers; a refusal is the node's FAILED state with the cloud's sentence.
     */
    CloudNode launch(NodeLaunch node, LaunchListener listener) {
        byte[] userData = node.userData().getBytes(StandardCharsets.UTF_8);
        if (userData.length > MAX_USER_DATA) {
            return CloudNode.failed(null, node.nodeId(), errors.cloudName() + " cannot launch " + node.nodeId()
                    + ": its boot script has " + userData.length + " bytes, EC2 takes at most " + MAX_USER_DATA);
        }
        RunInstancesRequest.Builder request = RunInstancesRequest.builder()
                .imageId(settings.imageId())
                .instanceType(settings.instanceTypeOf(node.role()))
                .minCount(1).maxCount(1)
                .userData(Base64.getEncoder().encodeToString(userData))
                .tagSpecifications(tags.forNode(node.nodeId(), node.name()))
                // the SDK re-sends this same token when it retries: EC2 then launches the machine once
                .clientToken(UUID.randomUUID().toString())
                .placement(p -> p.availabilityZone(placement.zone()));
        if (settings.keyName() != null) {
            request.keyName(settings.keyName());
        }
        if (settings.subnetId() != null) {
            request.subnetId(settings.subnetId());
        }
        if (placement.securityGroupId() != null) {
            request.securityGroupIds(placement.securityGroupId());
        }
        Instance instance;
        try {
            instance = ec2.runInstances(request.build()).instances().get(0);
        } catch (SdkException e) {
            String reason = errors.sentence("launch " + node.nodeId(), e);
            LOG.warn(reason);
            return CloudNode.failed(null, node.nodeId(), reason);
        }
        listener.machineCreated(node.nodeId(), instance.instanceId());
        LOG.info("cloud {}: node {} is instance {} ({})", settings.name(), node.nodeId(), instance.instanceId(),
                settings.instanceTypeOf(node.role()));
        return toNode(instance, node.nodeId());
    }

    /** The given machines as EC2 knows them; ids it does not know (or malformed ones) are left out. */
    List<CloudNode> describe(Collection<String> vmIds) {
        return instances(vmIds).stream().map(i -> toNode(i, Ec2Tags.nodeId(i))).toList();
    }

    /** This director's machines of this cloud that are not terminated. */
    List<CloudNode> list() {
        List<Filter> filters = new ArrayList<>(tags.filters());
        filters.add(Filter.builder().name("instance-state-name")
                .values("pending", "running", "stopping", "stopped").build());
        try {
            List<CloudNode> nodes = new ArrayList<>();
            ec2.describeInstancesPaginator(r -> r.filters(filters)).reservations()
                    .forEach(res -> res.instances().forEach(i -> nodes.add(toNode(i, Ec2Tags.nodeId(i)))));
            return nodes;
        } catch (SdkException e) {
            throw errors.exception("list its machines", e);
        }
    }

    /** Terminates the given machines that are this director's; unknown and foreign ones are ignored. */
    void terminate(Collection<String> vmIds) {
        List<String> ours = new ArrayList<>();
        for (Instance i : instances(vmIds)) {
            if (tags.isOurs(i.tags())) {
                ours.add(i.instanceId());
            } else {
                LOG.warn("cloud {}: not terminating instance {}: it is not this director's", settings.name(),
                        i.instanceId());
            }
        }
        for (int from = 0; from < ours.size(); from += BATCH) {
            List<String> batch = ours.subList(from, Math.min(ours.size(), from + BATCH));
            try {
                ec2.terminateInstances(r -> r.instanceIds(batch));
            } catch (SdkException e) {
                if (!Ec2Errors.isNotFound(e)) {
                    throw errors.exception("terminate " + String.join(", ", batch), e);
                }
                LOG.info("cloud {}: instance(s) {} already gone", settings.name(), batch);
            }
        }
    }

    /** One instance, or null when EC2 does not know it. */
    Instance instance(String vmId) {
        List<Instance> found = instances(List.of(vmId));
        return found.isEmpty() ? null : found.get(0);
    }

    private List<Instance> instances(Collection<String> vmIds) {
        List<String> ids = new ArrayList<>(new LinkedHashSet<>(vmIds));
        List<Instance> result = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += BATCH) {
            List<String> batch = ids.subList(from, Math.min(ids.size(), from + BATCH));
            try {
                result.addAll(describeBatch(batch));
            } catch (SdkException e) {
                if (!Ec2Errors.isNotFound(e)) {
                    throw errors.exception("describe its machines", e);
                }
                // one unknown (or malformed) id fails the whole call: ask one by one, leaving out the unknown ones
                for (String id : batch) {
                    try {
                        result.addAll(describeBatch(List.of(id)));
                    } catch (SdkException one) {
                        if (!Ec2Errors.isNotFound(one)) {
                            throw errors.exception("describe machine " + id, one);
                        }
                    }
                }
            }
        }
        return result;
    }

    private List<Instance> describeBatch(List<String> ids) {
        List<Instance> found = new ArrayList<>();
        ec2.describeInstancesPaginator(r -> r.instanceIds(ids)).reservations()
                .forEach(res -> found.addAll(res.instances()));
        return found;
    }

    private CloudNode toNode(Instance i, String nodeId) {
        String address = settings.publicAddresses() ? i.publicIpAddress() : i.privateIpAddress();
        // the state's reason when EC2 gives one (why it stopped or failed), else what the machine is
        String reason = i.stateReason() == null ? null : i.stateReason().message();
        return new CloudNode(i.instanceId(), nodeId, address, settings.agentPort(), state(i),
                reason == null || reason.isBlank() ? "instance type " + i.instanceTypeAsString() : reason);
    }

    private static CloudNodeState state(Instance i) {
        if (i.state() == null || i.state().name() == null) {
            return CloudNodeState.UNKNOWN;
        }
        return switch (i.state().name()) {
            case PENDING -> CloudNodeState.PENDING;
            case RUNNING -> CloudNodeState.RUNNING;
            // a stopped machine's agent is gone with it: for the director the node has ended
            case SHUTTING_DOWN, TERMINATED, STOPPING, STOPPED -> CloudNodeState.TERMINATED;
            default -> CloudNodeState.UNKNOWN;
        };
    }

    static CloudException noSuchMachine(Ec2Errors errors, String vmId) {
        return errors.exception("has no machine " + vmId);
    }
}
