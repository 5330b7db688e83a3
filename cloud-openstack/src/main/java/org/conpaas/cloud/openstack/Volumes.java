package org.conpaas.cloud.openstack;

import java.util.Map;
import org.conpaas.api.CloudException;
import org.conpaas.api.InvalidInputException;
import org.conpaas.api.cloud.CloudVolume;
import org.openstack4j.api.Builders;
import org.openstack4j.model.common.ActionResponse;
import org.openstack4j.model.compute.VolumeAttachment;
import org.openstack4j.model.storage.block.Volume;

/**
 * Cinder volumes: created (whole GiB, at least the size asked for) with the owner's metadata, attached through Nova
 * (the device is the one Nova names), detached, deleted; each step waits, bounded, for the state the next one needs
 * (available, in-use). Unknown volumes are ignored by detach and delete.
 */
final class Volumes {

    private static final int MB_PER_GB = 1024;
    private static final int MAX_NAME = 255;

    private final OpenStackSession session;
    private final OpenStackSettings settings;
    private final Waits waits;

    Volumes(OpenStackSession session, OpenStackSettings settings, Waits waits) {
        this.session = session;
        this.settings = settings;
        this.waits = waits;
    }

    CloudVolume create(String name, int sizeMb) throws CloudException {
        if (name == null || name.isBlank() || name.length() > MAX_NAME || name.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidInputException("name", "a volume name is 1 to " + MAX_NAME + " printable characters");
        }
        if (sizeMb < 1) {
            throw new InvalidInputException("sizeMb", "a volume needs at least 1 MB; got " + sizeMb);
        }
        int gb = (int) Math.max(1, (sizeMb + (long) MB_PER_GB - 1) / MB_PER_GB);
        Volume created = session.call("create volume " + name, os -> os.blockStorage().volumes().create(
                Builders.volume().name(name).size(gb).metadata(Map.of(ServerTags.OWNER, settings.owner())).build()));
        Volume ready = waitFor(created.getId(), "volume " + name + " to become available", Volume.Status.AVAILABLE);
        return toCloudVolume(ready, null, null);
    }

    CloudVolume attach(String volumeId, String serverId) throws CloudException {
        Volume volume = get(volumeId);
        if (volume == null) {
            throw new CloudException("cloud " + settings.name() + " (OpenStack) has no volume " + volumeId + ".");
        }
        VolumeAttachment attachment = session.call("attach volume " + volumeId + " to server " + serverId,
                os -> os.compute().servers().attachVolume(serverId, volumeId, null));
        Volume inUse = waitFor(volumeId, "volume " + volumeId + " to be attached", Volume.Status.IN_USE);
        String device = attachment != null && attachment.getDevice() != null ? attachment.getDevice()
                : inUse.getAttachments().isEmpty() ? null : inUse.getAttachments().get(0).getDevice();
        return toCloudVolume(inUse, serverId, device);
    }

    void detach(String volumeId) throws CloudException {
        Volume volume = get(volumeId);
        if (volume == null || volume.getAttachments() == null || volume.getAttachments().isEmpty()) {
            return;
        }
        for (var attachment : volume.getAttachments()) {
            String serverId = attachment.getServerId();
            session.call("detach volume " + volumeId + " from server " + serverId, os -> {
                ActionResponse response = os.compute().servers().detachVolume(serverId, volumeId);
                return check(response);
            });
        }
        waitFor(volumeId, "volume " + volumeId + " to be detached", Volume.Status.AVAILABLE);
    }

    void delete(String volumeId) throws CloudException {
        if (get(volumeId) == null) {
            return;
        }
        session.call("delete volume " + volumeId, os -> check(os.blockStorage().volumes().delete(volumeId)));
    }

    private Volume get(String volumeId) throws CloudException {
        return session.call("describe volume " + volumeId, os -> os.blockStorage().volumes().get(volumeId));
    }

    private Volume waitFor(String volumeId, String what, Volume.Status wanted) throws CloudException {
        return waits.until(what, () -> {
            Volume v = get(volumeId);
            if (v == null) {
                throw new CloudException("cloud " + settings.name() + " (OpenStack) lost volume " + volumeId + ".");
            }
            if (v.getStatus() == Volume.Status.ERROR || v.getStatus() == Volume.Status.ERROR_DELETING) {
                throw new CloudException("cloud " + settings.name() + " (OpenStack) reports volume " + volumeId
                        + " in state " + v.getStatus() + ".");
            }
            return v.getStatus() == wanted ? v : null;
        });
    }

    /** A refused action (other than "already gone") becomes the cloud's error. */
    static Void check(ActionResponse response) {
        if (response != null && !response.isSuccess() && response.getCode() != 404) {
            throw new org.openstack4j.api.exceptions.ResponseException(response.getFault(), response.getCode());
        }
        return null;
    }

    private static CloudVolume toCloudVolume(Volume v, String attachedTo, String device) {
        return new CloudVolume(v.getId(), v.getName(), v.getSize() * MB_PER_GB, attachedTo, device);
    }

}
