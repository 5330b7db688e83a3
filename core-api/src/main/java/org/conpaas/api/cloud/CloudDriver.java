package org.conpaas.api.cloud;

import java.util.Collection;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.conpaas.api.CloudException;
import org.conpaas.api.UnsupportedCapabilityException;

/**
 * One configured cloud, registered as an OSGi service with the properties {@value #NAME_PROPERTY} and
 * {@value #TYPE_PROPERTY}. Clouds are factory configurations ({@code org.conpaas.cloud.<type>-<name>.cfg}).
 */
public interface CloudDriver {
    String NAME_PROPERTY = "conpaas.cloud.name";
    String TYPE_PROPERTY = "conpaas.cloud.type";

    /** The cloud's configured name ("default" for the built-in local cloud). */
    String name();

    /** The driver type: local, lxc, ec2, openstack. */
    String type();

    Set<CloudCapability> capabilities();

    /**
     * The properties to register this cloud's service with: {@value #NAME_PROPERTY} and {@value #TYPE_PROPERTY}.
     * A driver registers itself (rather than through DS) because the name comes from its configuration.
     */
    default Dictionary<String, Object> serviceProperties() {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(NAME_PROPERTY, name());
        properties.put(TYPE_PROPERTY, type());
        return properties;
    }

    /**
     * Why this cloud cannot be used now, as one sentence naming it (its credentials were refused at configuration
     * time, its image or instance type does not exist), or null when it can. A driver whose configuration the cloud
     * refused stays registered with this reason: the director lists the cloud as unavailable and launches nothing on
     * it, and everything else keeps working.
     */
    default String unavailableReason() {
        return null;
    }

    /**
     * Launches the requested nodes (in parallel where the cloud allows) with their user data and returns them as soon
     * as they are asked for: one {@link CloudNode} per requested node, {@link CloudNodeState#FAILED} with the cloud's
     * reason for a node the cloud refused. Tells {@link LaunchRequest#listener()} of each machine id as soon as the
     * cloud has given it. A driver never rolls back the nodes of a request that partly failed: the director releases
     * the whole batch. Throws only when the request as a whole cannot be made (then it has created no machine, or has
     * told the listener of each it created).
     */
    List<CloudNode> launch(LaunchRequest request) throws CloudException;

    /** Describes the given machines; machines the cloud no longer knows are omitted. */
    List<CloudNode> describe(Collection<String> vmIds) throws CloudException;

    /** Every machine this cloud holds for this director (to find nodes left behind). */
    List<CloudNode> list() throws CloudException;

    /** Terminates machines; unknown ones are ignored. */
    void terminate(Collection<String> vmIds) throws CloudException;

    default CloudVolume createVolume(String name, int sizeMb) throws CloudException {
        throw new UnsupportedCapabilityException("cloud " + name() + " does not support volumes");
    }

    default CloudVolume attachVolume(String volumeId, String vmId) throws CloudException {
        throw new UnsupportedCapabilityException("cloud " + name() + " does not support volumes");
    }

    /**
     * Attaches a volume that the node's agent will mount as {@code mountName}. A cloud whose nodes cannot mount by
     * themselves (the local cloud's nodes run as unprivileged accounts when it runs as root) mounts it here, where
     * the agent then finds it; the others only attach.
     */
    default CloudVolume attachVolume(String volumeId, String vmId, String mountName) throws CloudException {
        return attachVolume(volumeId, vmId);
    }

    default void detachVolume(String volumeId) throws CloudException {
        throw new UnsupportedCapabilityException("cloud " + name() + " does not support volumes");
    }

    default void deleteVolume(String volumeId) throws CloudException {
        throw new UnsupportedCapabilityException("cloud " + name() + " does not support volumes");
    }

    /**
     * The folder this cloud's machines share read-only among their nodes, when its nodes share machines with each
     * other and with the director; empty (the default) when every node has a machine of its own.
     */
    default Optional<HostShare> hostShare() {
        return Optional.empty();
    }
}
