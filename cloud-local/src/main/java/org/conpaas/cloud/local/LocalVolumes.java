package org.conpaas.cloud.local;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.conpaas.api.CloudException;
import org.conpaas.api.InvalidInputException;
import org.conpaas.api.cloud.CloudVolume;
import org.conpaas.service.support.host.Mounts;
import org.conpaas.service.support.host.VolumeMountPoints;
import org.conpaas.service.support.host.VolumeRecord;
import org.conpaas.service.support.host.VolumeStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local cloud's volumes: sparse image files {@code <dataDir>/volumes/<id>.img} ({@link VolumeStore}). Attaching
 * one hands its path to the node's agent as the device, which formats it as ext4 and loop-mounts it, or, for a node
 * with an account of its own (which cannot mount), the driver does that itself ({@link VolumeMountPoints}).
 */
final class LocalVolumes {

    private static final Logger LOG = LoggerFactory.getLogger(LocalVolumes.class);

    private final String cloud;
    private final VolumeStore volumes;
    private final NodeStore nodes;
    /** Volume records change under this lock, so attach and detach never race on one record. */
    private final Object volumeLock = new Object();

    LocalVolumes(String cloud, Path dir, NodeStore nodes) {
        this.cloud = cloud;
        this.volumes = new VolumeStore(dir);
        this.nodes = nodes;
    }

    CloudVolume create(String volumeName, int sizeMb) throws CloudException {
        VolumeStore.checkRequest(volumeName, sizeMb);
        try {
            VolumeRecord volume = volumes.create(volumeName, sizeMb);
            LOG.info("cloud {}: volume {} ({}, {} MB) created", cloud, volume.id(), volumeName, sizeMb);
            return volume.toCloudVolume(volumes.image(volume.id()));
        } catch (IOException e) {
            throw new CloudException("cloud " + cloud + " cannot create volume " + volumeName + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Marks the volume attached to the node. A node with an account of its own cannot mount: the driver mounts the volume for it at
     * {@code <node>/media/<mountName>}, formatted as ext4 (owned by the node's account) when it is blank, where the
     * node's agent then finds it.
     */
    CloudVolume attach(String volumeId, String vmId, String mountName) throws CloudException {
        synchronized (volumeLock) {
            VolumeRecord volume = volumes.read(volumeId).orElseThrow(() -> new CloudException("cloud " + cloud
                    + " has no volume " + volumeId));
            if (!nodes.exists(vmId)) {
                throw new CloudException("cloud " + cloud + " has no node " + vmId + " to attach volume "
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
                LOG.info("cloud {}: volume {} attached to {}", cloud, volumeId, vmId);
                return attached.toCloudVolume(volumes.image(volumeId));
            } catch (IOException e) {
                throw new CloudException("cloud " + cloud + " cannot attach volume " + volumeId + ": "
                        + e.getMessage(), e);
            }
        }
    }

    /** Takes the volume away from its node: whatever still has its image mounted loses it. */
    void detach(String volumeId) throws CloudException {
        synchronized (volumeLock) {
            VolumeRecord volume = volumes.read(volumeId).orElse(null);
            if (volume == null) {
                return;
            }
            try {
                VolumeMountPoints.removeEmpty(Mounts.release(volumes.image(volumeId)), nodes.nodesDir());
                if (volume.attachedTo() != null) {
                    volumes.write(volume.attachedTo(null));
                    LOG.info("cloud {}: volume {} detached from {}", cloud, volumeId, volume.attachedTo());
                }
            } catch (IOException e) {
                throw new CloudException("cloud " + cloud + " cannot detach volume " + volumeId + ": "
                        + e.getMessage(), e);
            }
        }
    }

    void delete(String volumeId) throws CloudException {
        synchronized (volumeLock) {
            if (volumes.read(volumeId).isEmpty()) {
                return;
            }
            try {
                Mounts.release(volumes.image(volumeId)); // in case it was never detached
                volumes.delete(volumeId);
                LOG.info("cloud {}: volume {} deleted", cloud, volumeId);
            } catch (IOException e) {
                throw new CloudException("cloud " + cloud + " cannot delete volume " + volumeId + ": "
                        + e.getMessage(), e);
            }
        }
    }

    /** The mounts went with the node directories; the volumes stay, free to be attached elsewhere. */
    void forgetAttachmentsTo(List<String> vmIds) {
        synchronized (volumeLock) {
            try {
                for (VolumeRecord volume : volumes.all()) {
                    if (volume.attachedTo() != null && vmIds.contains(volume.attachedTo())) {
                        volumes.write(volume.attachedTo(null));
                    }
                }
            } catch (IOException e) {
                LOG.warn("cloud {}: cannot update the volumes of terminated nodes: {}", cloud, e.getMessage());
            }
        }
    }
}
