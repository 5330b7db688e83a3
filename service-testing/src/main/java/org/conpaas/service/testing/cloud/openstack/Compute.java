package org.conpaas.service.testing.cloud.openstack;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Nova v2.1: flavors, servers (create with user data and metadata, list, show, delete) and volume attachments. Nova
 * checks what a real one checks before it accepts a server: flavor, image and network exist, the user data is base
 * 64, the instances quota is not used up.
 */
final class Compute {

    /** Nova's own bound on user data (65535 bytes, base 64). */
    private static final int MAX_USER_DATA = 65535;
    private final OpenStackStub stub;

    Compute(OpenStackStub stub) {
        this.stub = stub;
    }

    void handle(StubExchange e) throws IOException {
        String[] p = e.path;
        if (p.length >= 1 && "flavors".equals(p[0]) && "GET".equals(e.method)) {
            flavors(e);
        } else if (e.is("POST", 1) && "servers".equals(p[0])) {
            create(e);
        } else if (e.is("GET", 1) && "servers".equals(p[0]) || e.is("GET", 2) && "servers".equals(p[0])
                && "detail".equals(p[1])) {
            List<Object> all = new ArrayList<>();
            synchronized (stub.state) {
                stub.state.servers.values().forEach(s -> all.add(json(s)));
            }
            e.reply(200, Map.of("servers", all));
        } else if (e.is("GET", 2) && "servers".equals(p[0])) {
            Map<String, Object> json;
            synchronized (stub.state) {
                StubState.Server s = stub.state.servers.get(p[1]);
                json = s == null ? null : json(s);
            }
            if (json == null) {
                e.fault(404, "itemNotFound", "Instance " + p[1] + " could not be found.");
            } else {
                e.reply(200, Map.of("server", json));
            }
        } else if (e.is("DELETE", 2) && "servers".equals(p[0])) {
            if (deleteServer(stub, p[1])) {
                e.reply(204, null);
            } else {
                e.fault(404, "itemNotFound", "Instance " + p[1] + " could not be found.");
            }
        } else if (p.length >= 3 && "servers".equals(p[0]) && "os-volume_attachments".equals(p[2])) {
            new VolumeAttachments(stub).handle(e);
        } else {
            e.fault(404, "itemNotFound", "The resource could not be found.");
        }
    }

    private void flavors(StubExchange e) throws IOException {
        List<Object> flavors = new ArrayList<>();
        synchronized (stub.state) {
            stub.state.flavors.forEach((id, name) -> {
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("id", id);
                f.put("name", name);
                f.put("ram", 512 * Integer.parseInt(id));
                f.put("vcpus", Integer.parseInt(id));
                f.put("disk", 10);
                f.put("swap", "");
                f.put("rxtx_factor", 1.0);
                f.put("OS-FLV-EXT-DATA:ephemeral", 0);
                f.put("OS-FLV-DISABLED:disabled", false);
                f.put("os-flavor-access:is_public", true);
                f.put("links", links("flavors", id));
                flavors.add(f);
            });
        }
        e.reply(200, Map.of("flavors", flavors));
    }

    private void create(StubExchange e) throws IOException {
        JsonNode s = e.body.path("server");
        String flavor = s.path("flavorRef").asText();
        String image = s.path("imageRef").asText();
        String userData = s.path("user_data").asText(null);
        Map<String, String> metadata = new LinkedHashMap<>();
        s.path("metadata").fields().forEachRemaining(f -> metadata.put(f.getKey(), f.getValue().asText()));
        String decoded = null;
        if (userData != null) {
            try {
                decoded = new String(Base64.getDecoder().decode(userData), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException bad) {
                e.fault(400, "badRequest", "User data needs to be valid base 64.");
                return;
            }
            if (userData.length() > MAX_USER_DATA) {
                e.fault(400, "badRequest", "User data too large. User data must be no larger than 65535 bytes "
                        + "once base64 encoded.");
                return;
            }
        }
        for (JsonNode network : s.path("networks")) {
            if (!StubState.PRIVATE_NETWORK_ID.equals(network.path("uuid").asText())) {
                e.fault(400, "badRequest", "Network " + network.path("uuid").asText() + " could not be found.");
                return;
            }
        }
        synchronized (stub.state) {
            if (!stub.state.flavors.containsKey(flavor)) {
                e.fault(400, "badRequest", "Flavor " + flavor + " could not be found.");
                return;
            }
            if (!StubState.IMAGE_ID.equals(image)) {
                e.fault(400, "badRequest", "Image " + image + " could not be found.");
                return;
            }
        }
        String id = createServer(stub, s.path("name").asText("server"), flavor, image, metadata, decoded, true);
        if (id == null) {
            e.fault(403, "forbidden", "Quota exceeded for instances: Requested 1, but already used "
                    + stub.maxServers() + " of " + stub.maxServers() + " instances");
            return;
        }
        synchronized (stub.state) {
            StubState.Server server = stub.state.servers.get(id);
            server.keyName = s.path("key_name").asText(null);
            List<String> groups = new ArrayList<>();
            s.path("security_groups").forEach(g -> groups.add(g.path("name").asText()));
            server.securityGroups = groups.isEmpty() ? List.of("default") : groups;
        }
        e.reply(202, Map.of("server", Map.of("id", id, "links", links("servers", id), "OS-DCF:diskConfig", "MANUAL",
                "adminPass", UUID.randomUUID().toString().substring(0, 12),
                "security_groups", List.of(Map.of("name", "default")))));
    }

    /**
     * Creates a server, or returns null when {@code withinQuota} and the quota is used up: checked and taken under one
     * lock, so two launches arriving together cannot both take the last place.
     */
    static String createServer(OpenStackStub stub, String name, String flavor, String image,
            Map<String, String> metadata, String userData, boolean withinQuota) {
        StubState.Server server = new StubState.Server(System.nanoTime() + stub.activeDelay.toNanos());
        synchronized (stub.state) {
            if (withinQuota && stub.state.servers.size() >= stub.maxServers()) {
                return null;
            }
            int n = stub.state.servers.size() + stub.state.deletedServers.size() + 2;
            server.name = name;
            server.flavorId = flavor;
            server.imageId = image;
            server.metadata = Map.copyOf(metadata);
            server.userData = userData;
            server.fixedAddress = "127.11." + (n / 250) % 128 + "." + (n % 250 + 2);
            server.mac = String.format("fa:16:3e:%02x:%02x:%02x", (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff);
            stub.state.servers.put(server.id, server);
        }
        if (stub.hypervisor != null && userData != null) {
            stub.hypervisor.boot(server.id, server.fixedAddress, userData);
        }
        return server.id;
    }

    /** Deletes a server: its machine halts, its volumes are detached, its floating addresses lose their port. */
    static boolean deleteServer(OpenStackStub stub, String id) {
        synchronized (stub.state) {
            StubState.Server server = stub.state.servers.remove(id);
            if (server == null) {
                return false;
            }
            stub.state.deletedServers.add(id);
            for (StubState.Volume v : stub.state.volumes.values()) {
                if (id.equals(v.serverId)) {
                    v.serverId = null;
                    v.device = null;
                }
            }
            for (StubState.FloatingIp f : stub.state.floatingIps.values()) {
                if (server.portId.equals(f.portId)) {
                    f.portId = null;
                    f.fixedAddress = null;
                }
            }
        }
        if (stub.hypervisor != null) {
            stub.hypervisor.halt(id);
        }
        return true;
    }

    /** The server as Nova's show and detail answer it (only while the state lock is held). */
    private Map<String, Object> json(StubState.Server s) {
        List<Map<String, Object>> addresses = new ArrayList<>();
        addresses.add(Map.of("version", 4, "addr", s.fixedAddress, "OS-EXT-IPS:type", "fixed",
                "OS-EXT-IPS-MAC:mac_addr", s.mac));
        for (StubState.FloatingIp f : stub.state.floatingIps.values()) {
            if (s.portId.equals(f.portId)) {
                addresses.add(Map.of("version", 4, "addr", f.address, "OS-EXT-IPS:type", "floating",
                        "OS-EXT-IPS-MAC:mac_addr", s.mac));
            }
        }
        String status = s.status();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", s.id);
        json.put("name", s.name);
        json.put("status", status);
        json.put("tenant_id", StubState.PROJECT_ID);
        json.put("user_id", StubState.USER_ID);
        json.put("metadata", s.metadata);
        json.put("hostId", "c0ffee" + s.id.replace("-", ""));
        json.put("image", Map.of("id", s.imageId, "links", links("images", s.imageId)));
        json.put("flavor", Map.of("id", s.flavorId, "links", links("flavors", s.flavorId)));
        json.put("created", s.created.toString().replaceAll("\\.\\d+Z$", "Z"));
        json.put("updated", s.created.toString().replaceAll("\\.\\d+Z$", "Z"));
        json.put("addresses", Map.of("private", addresses));
        json.put("accessIPv4", "");
        json.put("accessIPv6", "");
        json.put("links", links("servers", s.id));
        json.put("progress", "ACTIVE".equals(status) ? 100 : 0);
        json.put("key_name", s.keyName);
        json.put("security_groups", s.securityGroups.stream().map(g -> Map.of("name", g)).toList());
        json.put("OS-EXT-STS:vm_state", "ACTIVE".equals(status) ? "active" : "building");
        json.put("OS-EXT-STS:power_state", "ACTIVE".equals(status) ? 1 : 0);
        json.put("OS-EXT-AZ:availability_zone", "nova");
        json.put("config_drive", "");
        List<Object> attached = new ArrayList<>();
        for (StubState.Volume v : stub.state.volumes.values()) {
            if (s.id.equals(v.serverId)) {
                attached.add(Map.of("id", v.id));
            }
        }
        json.put("os-extended-volumes:volumes_attached", attached);
        return json;
    }

    private List<Map<String, String>> links(String collection, String id) {
        String base = stub.baseUrl() + "/compute/v2.1/" + collection + "/" + id;
        return List.of(Map.of("href", base, "rel", "self"), Map.of("href", base, "rel", "bookmark"));
    }
}
