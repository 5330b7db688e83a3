package org.conpaas.service.testing.cloud.openstack;

import java.io.IOException;
import java.util.Map;

/** Nova's {@code /servers/{id}/os-volume_attachments}: attach (with the next free /dev/vdX) and detach. */
final class VolumeAttachments {

    private final OpenStackStub stub;

    VolumeAttachments(OpenStackStub stub) {
        this.stub = stub;
    }

    void handle(StubExchange e) throws IOException {
        String serverId = e.path[1];
        synchronized (stub.state) {
            StubState.Server server = stub.state.servers.get(serverId);
            if (server == null) {
                e.fault(404, "itemNotFound", "Instance " + serverId + " could not be found.");
                return;
            }
            if (e.is("POST", 3)) {
                String volumeId = e.body.path("volumeAttachment").path("volumeId").asText();
                StubState.Volume volume = stub.state.volumes.get(volumeId);
                if (volume == null) {
                    e.fault(404, "itemNotFound", "Volume " + volumeId + " could not be found.");
                    return;
                }
                if (volume.serverId != null) {
                    e.fault(400, "badRequest", "Invalid volume: volume " + volumeId + " status must be "
                            + "'available'. Currently in 'in-use'");
                    return;
                }
                long used = stub.state.volumes.values().stream().filter(v -> serverId.equals(v.serverId)).count();
                volume.serverId = serverId;
                volume.device = volume.disk != null ? volume.disk.toString() : "/dev/vd" + (char) ('b' + used);
                e.reply(200, Map.of("volumeAttachment", Map.of("device", volume.device, "id", volumeId,
                        "serverId", serverId, "volumeId", volumeId)));
            } else if (e.is("DELETE", 4)) {
                StubState.Volume volume = stub.state.volumes.get(e.path[3]);
                if (volume == null || !serverId.equals(volume.serverId)) {
                    e.fault(404, "itemNotFound", "volume_id not found: " + e.path[3]);
                    return;
                }
                volume.serverId = null;
                volume.device = null;
                e.reply(202, null);
            } else {
                e.fault(404, "itemNotFound", "The resource could not be found.");
            }
        }
    }
}
