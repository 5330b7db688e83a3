package org.conpaas.service.testing.cloud.openstack;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Glance v2 (one image, listed by name) and Cinder v3 (volumes: create, show, list, delete). */
final class ImageAndVolume {

    private final OpenStackStub stub;

    ImageAndVolume(OpenStackStub stub) {
        this.stub = stub;
    }

    void image(StubExchange e) throws IOException {
        String[] p = e.path.length > 0 && e.path[0].startsWith("v2") ? java.util.Arrays.copyOfRange(e.path, 1,
                e.path.length) : e.path;
        if (!(p.length == 1 && "images".equals(p[0]) && "GET".equals(e.method))) {
            e.reply(404, Map.of("message", "The resource could not be found.", "code", "404 Not Found"));
            return;
        }
        List<Object> images = new ArrayList<>();
        if (!e.query.containsKey("name") || StubState.IMAGE_NAME.equals(e.query.get("name"))) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("id", StubState.IMAGE_ID);
            json.put("name", StubState.IMAGE_NAME);
            json.put("status", "active");
            json.put("visibility", "public");
            json.put("container_format", "bare");
            json.put("disk_format", "qcow2");
            json.put("size", 2147483648L);
            json.put("virtual_size", null);
            json.put("min_disk", 0);
            json.put("min_ram", 0);
            json.put("protected", false);
            json.put("checksum", "1ec332a350e0a839f03c967c1c568623");
            json.put("owner", StubState.PROJECT_ID);
            json.put("tags", List.of());
            json.put("created_at", "2026-01-01T00:00:00Z");
            json.put("updated_at", "2026-01-01T00:00:00Z");
            json.put("self", "/v2/images/" + StubState.IMAGE_ID);
            json.put("file", "/v2/images/" + StubState.IMAGE_ID + "/file");
            json.put("schema", "/v2/schemas/image");
            images.add(json);
        }
        e.reply(200, Map.of("images", images, "schema", "/v2/schemas/images", "first", "/v2/images"));
    }

    void volume(StubExchange e) throws IOException {
        String[] p = e.path;
        if (e.is("POST", 1) && "volumes".equals(p[0])) {
            var request = e.body.path("volume");
            int size = request.path("size").asInt(0);
            if (size < 1) {
                e.fault(400, "badRequest", "Invalid input received: size must be an integer greater than 0");
                return;
            }
            Map<String, Object> json;
            synchronized (stub.state) {
                StubState.Volume v = new StubState.Volume();
                v.name = request.path("name").asText(null);
                v.sizeGb = size;
                Map<String, String> metadata = new HashMap<>();
                request.path("metadata").fields().forEachRemaining(f -> metadata.put(f.getKey(),
                        f.getValue().asText()));
                v.metadata = Map.copyOf(metadata);
                if (stub.disks != null) {
                    v.disk = stub.disks.resolve(v.id + ".img");
                    try (var file = new java.io.RandomAccessFile(v.disk.toFile(), "rw")) {
                        file.setLength((long) size << 30); // sparse: costs nothing until written
                    }
                }
                stub.state.volumes.put(v.id, v);
                json = json(v);
            }
            e.reply(202, Map.of("volume", json));
        } else if (e.is("GET", 2) && "volumes".equals(p[0]) && "detail".equals(p[1]) || e.is("GET", 1)
                && "volumes".equals(p[0])) {
            List<Object> all = new ArrayList<>();
            synchronized (stub.state) {
                stub.state.volumes.values().forEach(v -> all.add(json(v)));
            }
            e.reply(200, Map.of("volumes", all));
        } else if (e.is("GET", 2) && "volumes".equals(p[0])) {
            Map<String, Object> json;
            synchronized (stub.state) {
                StubState.Volume v = stub.state.volumes.get(p[1]);
                json = v == null ? null : json(v);
            }
            if (json == null) {
                e.fault(404, "itemNotFound", "Volume " + p[1] + " could not be found.");
            } else {
                e.reply(200, Map.of("volume", json));
            }
        } else if (e.is("DELETE", 2) && "volumes".equals(p[0])) {
            synchronized (stub.state) {
                StubState.Volume v = stub.state.volumes.get(p[1]);
                if (v == null) {
                    e.fault(404, "itemNotFound", "Volume " + p[1] + " could not be found.");
                    return;
                }
                if (v.serverId != null) {
                    e.fault(400, "badRequest", "Invalid volume: Volume status must be available or error or "
                            + "error_restoring or error_extending or error_managing and must not be migrating, "
                            + "attached, belong to a group, have snapshots or be disassociated from snapshots "
                            + "after volume transfer.");
                    return;
                }
                stub.state.volumes.remove(p[1]);
                if (v.disk != null) {
                    java.nio.file.Files.deleteIfExists(v.disk);
                }
            }
            e.reply(202, null);
        } else {
            e.fault(404, "itemNotFound", "The resource could not be found.");
        }
    }

    private Map<String, Object> json(StubState.Volume v) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", v.id);
        json.put("name", v.name);
        json.put("status", v.status());
        json.put("size", v.sizeGb);
        json.put("metadata", v.metadata);
        json.put("attachments", v.serverId == null ? List.of() : List.of(Map.of("server_id", v.serverId,
                "attachment_id", "a" + v.id.substring(1), "volume_id", v.id, "device", v.device, "id", v.id,
                "host_name", "stub")));
        json.put("availability_zone", "nova");
        json.put("bootable", "false");
        json.put("encrypted", false);
        json.put("created_at", v.created.toString());
        json.put("description", null);
        json.put("volume_type", "__DEFAULT__");
        json.put("snapshot_id", null);
        json.put("source_volid", null);
        json.put("consistencygroup_id", null);
        json.put("replication_status", null);
        json.put("user_id", StubState.USER_ID);
        json.put("os-vol-tenant-attr:tenant_id", StubState.PROJECT_ID);
        json.put("os-volume-replication:driver_data", null);
        json.put("os-volume-replication:extended_status", null);
        json.put("multiattach", false);
        String self = stub.baseUrl() + "/volume/v3/" + StubState.PROJECT_ID + "/volumes/" + v.id;
        json.put("links", List.of(Map.of("href", self, "rel", "self"), Map.of("href", self, "rel", "bookmark")));
        return json;
    }
}
