package org.conpaas.core.internal.director;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.conpaas.api.AgentException;
import org.conpaas.api.CloudException;
import org.conpaas.api.InvalidInputException;
import org.conpaas.api.UnsupportedCapabilityException;
import org.conpaas.api.cloud.CloudCapability;
import org.conpaas.api.cloud.CloudDriver;
import org.conpaas.api.cloud.CloudVolume;
import org.conpaas.api.model.VolumeInfo;
import org.conpaas.api.service.ServiceNode;
import org.conpaas.core.internal.agent.AgentClient;
import org.conpaas.core.internal.persistence.NodeEntity;
import org.conpaas.core.internal.persistence.Store;
import org.conpaas.core.internal.persistence.VolumeEntity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates a volume in a node's cloud, attaches it and has the node's agent mount it; deletes it the other way
 * round. A failure half-way undoes what was done, so a volume either exists completely or not at all.
 */
final class VolumeKeeper {
    private static final Logger LOG = LoggerFactory.getLogger(VolumeKeeper.class);
    /** The original's rule: letters, digits, '-' and '_' (a volume name becomes a folder name on the node). */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    static final int MAX_SIZE_MB = 1024 * 1024;

    private final Store store;
    private final CloudRegistry clouds;
    private final AgentClient agents;
    private final String deploymentName;

    VolumeKeeper(Store store, CloudRegistry clouds, AgentClient agents, String deploymentName) {
        this.store = store;
        this.clouds = clouds;
        this.agents = agents;
        this.deploymentName = deploymentName;
    }

    /** Checks what a user asks for before anything changes. */
    static void validate(String name, int sizeMb) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidInputException("name", "a volume name is 1 to 64 letters, digits, '-' or '_'; got '"
                    + name + "'");
        }
        if (sizeMb < 1 || sizeMb > MAX_SIZE_MB) {
            throw new InvalidInputException("sizeMb", "the volume size must be between 1 and " + MAX_SIZE_MB
                    + " MB; got " + sizeMb);
        }
    }

    /** Refuses clouds without volumes before the service changes state. */
    void requireVolumes(String cloudName) {
        CloudDriver cloud = clouds.require(cloudName);
        if (!cloud.capabilities().contains(CloudCapability.VOLUMES)) {
            throw new UnsupportedCapabilityException("cloud " + cloud.name() + " does not support volumes");
        }
    }

    VolumeInfo create(ServiceKey key, ServiceNode node, String name, int sizeMb) {
        CloudDriver cloud = clouds.require(node.cloud());
        CloudVolume volume = cloud.createVolume(cloudName(key, name), sizeMb);
        boolean attached = false;
        boolean mounted = false;
        try {
            CloudVolume attachedVolume = cloud.attachVolume(volume.id(), node.vmId(), name);
            attached = true;
            String path = agents.mountVolume(node, name, attachedVolume.device());
            mounted = true;
            return store.tx(em -> {
                VolumeEntity row = new VolumeEntity(key.serviceDbId(), name, sizeMb, node.id(), cloud.name(),
                        volume.id(), path, store.now());
                em.persist(row);
                return row.info();
            });
        } catch (RuntimeException e) {
            if (mounted) {
                unmountQuietly(node, name);
            }
            destroyQuietly(cloud, volume.id(), attached);
            throw e;
        }
    }

    /** Unmounts (when the node still answers), detaches and deletes the volume, then forgets it. */
    void delete(VolumeEntity volume, ServiceNode node) {
        if (node != null && node.address() != null) {
            try {
                agents.unmountVolume(node, volume.getName());
            } catch (AgentException e) {
                // The cloud detaches a volume even when its node is gone or stuck; the data is destroyed anyway.
                LOG.warn("node {} did not unmount volume {}: {}", node.id(), volume.getName(), e.getMessage());
            }
        }
        CloudDriver cloud = clouds.find(volume.getCloud()).orElseThrow(() -> new CloudException("cloud "
                + volume.getCloud() + " is not available, so volume " + volume.getName() + " cannot be deleted"));
        cloud.detachVolume(volume.getCloudVolumeId());
        cloud.deleteVolume(volume.getCloudVolumeId());
        forget(volume);
    }

    /** The volumes of nodes that were just terminated go with them: their data is destroyed, as documented. */
    void destroyAttachedTo(Collection<NodeEntity> nodes) {
        Set<Long> services = nodes.stream().map(NodeEntity::getServiceId).collect(Collectors.toSet());
        Set<String> nodeIds = nodes.stream().map(NodeEntity::getNodeId).collect(Collectors.toSet());
        List<VolumeEntity> attached = store.tx(em -> services.stream()
                .flatMap(s -> store.volumes(em, s).stream())
                .filter(v -> nodeIds.contains(v.getNodeId()))
                .toList());
        for (VolumeEntity volume : attached) {
            clouds.find(volume.getCloud()).ifPresentOrElse(
                    cloud -> destroyQuietly(cloud, volume.getCloudVolumeId(), true),
                    () -> LOG.warn("cloud {} is gone; volume {} ({}) is left there", volume.getCloud(),
                            volume.getName(), volume.getCloudVolumeId()));
            forget(volume);
        }
    }

    private void forget(VolumeEntity volume) {
        store.tx(em -> {
            VolumeEntity row = em.find(VolumeEntity.class, volume.getId());
            if (row != null) {
                em.remove(row);
            }
            return null;
        });
    }

    private void unmountQuietly(ServiceNode node, String name) {
        try {
            agents.unmountVolume(node, name);
        } catch (AgentException e) {
            LOG.warn("node {} did not unmount volume {}: {}", node.id(), name, e.getMessage());
        }
    }

    private static void destroyQuietly(CloudDriver cloud, String volumeId, boolean attached) {
        try {
            if (attached) {
                cloud.detachVolume(volumeId);
            }
            cloud.deleteVolume(volumeId);
        } catch (RuntimeException e) {
            LOG.warn("cloud {} did not delete volume {}: {}", cloud.name(), volumeId, e.getMessage());
        }
    }

    /** Unique per deployment, so several directors can share a cloud account. */
    private String cloudName(ServiceKey key, String name) {
        return deploymentName + "-a" + key.applicationId() + "-s" + key.number() + "-" + name;
    }
}
