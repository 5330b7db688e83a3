package org.conpaas.cloud.lxc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
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
 * Volumes of the LXC cloud: sparse image files in {@code <dataDir>/volumes/} (the local cloud's {@link VolumeStore}).
 * Attaching links the image into the node's {@code devices/} folder, which the container sees read-only at the same
 * path, so the device handed to the agent exists inside; with a mount name the driver formats (when blank) and
 * loop-mounts it on the host in the node's media folder, from where mount propagation shows it in the running
 * container at {@code /var/lib/conpaas-node/media/<name>}, and the agent finds it there; its files are owned by
 * the node's ids ({@link IdRange}), so the container's root may write them. The container itself gets no
 * loop or block device: it cannot reach other nodes' volumes.
 */
final class LxcVolumes {

    private static final Logger LOG = LoggerFactory.getLogger(LxcVolumes.class);

    private final String cloudName;
    private final VolumeStore store;
    private final NodeContainers nodes;

    LxcVolumes(String cloudName, Path volumesDir, NodeContainers nodes) {
        this.cloudName = cloudName;
        this.store = new VolumeStore(volumesDir);
        this.nodes = nodes;
    }

    synchronized CloudVolume create(String volumeName, int sizeMb) throws IOException {
        VolumeStore.checkRequest(volumeName, sizeMb);
        VolumeRecord volume = store.create(volumeName, sizeMb);
        LOG.info("cloud {}: volume {} ({}, {} MB) created", cloudName, volume.id(), volumeName, sizeMb);
        return volume.toCloudVolume(store.image(volume.id()));
    }

    synchronized CloudVolume attach(String volumeId, String vmId, String mountName) throws IOException {
        VolumeRecord volume = store.read(volumeId).orElseThrow(() -> new CloudException("cloud " + cloudName
                + " has no volume " + volumeId));
        if (!nodes.exists(vmId)) {
            throw new CloudException("cloud " + cloudName + " has no node " + vmId + " to attach volume " + volumeId
                    + " to");
        }
        if (volume.attachedTo() != null && !volume.attachedTo().equals(vmId)) {
            throw new CloudException("volume " + volumeId + " is already attached to node " + volume.attachedTo());
        }
        if (mountName != null && !VolumeMountPoints.isValidName(mountName)) {
            throw new InvalidInputException("name", "'" + mountName + "' is not a valid volume name");
        }
        Path device = device(volumeId, vmId);
        if (!Files.exists(device)) {
            Files.createLink(device, store.image(volumeId));
        }
        if (mountName != null) {
            IdRange ids = nodes.read(vmId).map(ContainerRecord::ids).orElseThrow(() -> new CloudException("cloud "
                    + cloudName + " has no record of node " + vmId));
            // The file system's root tells whose it was (a fresh one is made the node's root's): another node's
            // files become this node's, id for id, so that root inside may write and its accounts keep their files.
            VolumeMountPoints.mount(device, nodes.mediaDir(vmId).resolve(mountName), ids.root(), point -> ids
                    .takeOver(point, IdRange.of(Integer.toUnsignedLong((Integer) Files.getAttribute(point,
                            "unix:uid")))));
        }
        VolumeRecord attached = volume.attachedTo(vmId);
        store.write(attached);
        LOG.info("cloud {}: volume {} attached to {}{}", cloudName, volumeId, vmId,
                mountName == null ? "" : " at media/" + mountName);
        return new CloudVolume(volumeId, volume.name(), volume.sizeMb(), vmId, device.toString());
    }

    /** Takes the volume off its node: what still uses it there loses it (lazily unmounted when busy). */
    synchronized void detach(String volumeId) throws IOException {
        VolumeRecord volume = store.read(volumeId).orElse(null);
        if (volume == null) {
            return;
        }
        if (volume.attachedTo() != null && nodes.isVmId(volume.attachedTo())) {
            Path device = device(volumeId, volume.attachedTo());
            VolumeMountPoints.removeEmpty(Mounts.release(device), nodes.mediaDir(volume.attachedTo()).getParent());
            Files.deleteIfExists(device);
            store.write(volume.attachedTo(null));
            LOG.info("cloud {}: volume {} detached from {}", cloudName, volumeId, volume.attachedTo());
        }
    }

    synchronized void delete(String volumeId) throws IOException {
        if (store.read(volumeId).isEmpty()) {
            return;
        }
        detach(volumeId);
        Mounts.release(store.image(volumeId));
        store.delete(volumeId);
        LOG.info("cloud {}: volume {} deleted", cloudName, volumeId);
    }

    /** The node folders went with their containers (mounts and links too); the volumes stay, free again. */
    synchronized void forgetAttachmentsTo(Collection<String> vmIds) {
        try {
            for (VolumeRecord volume : store.all()) {
                if (volume.attachedTo() != null && vmIds.contains(volume.attachedTo())) {
                    store.write(volume.attachedTo(null));
                }
            }
        } catch (IOException e) {
            LOG.warn("cloud {}: cannot update the volumes of terminated nodes: {}", cloudName, e.getMessage());
        }
    }

    private Path device(String volumeId, String vmId) {
        return nodes.devicesDir(vmId).resolve(store.image(volumeId).getFileName());
    }
}
