package org.conpaas.service.testing.cloud.openstack;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Neutron v2.0: two networks ({@code private} for the servers, {@code public} the external one floating addresses
 * come from), one port per server, and floating IPs (create on a port, list, delete). Lists filter on the query's
 * {@code name}, {@code device_id} and {@code port_id}, as Neutron does.
 */
final class Network {

    private final OpenStackStub stub;

    Network(OpenStackStub stub) {
        this.stub = stub;
    }

    void handle(StubExchange e) throws IOException {
        String[] p = e.path.length > 0 && e.path[0].startsWith("v2") ? java.util.Arrays.copyOfRange(e.path, 1,
                e.path.length) : e.path;
        if (p.length == 1 && "networks".equals(p[0]) && "GET".equals(e.method)) {
            List<Object> networks = new ArrayList<>();
            for (Object[] n : new Object[][] {{StubState.PRIVATE_NETWORK_ID, "private", false},
                    {StubState.PUBLIC_NETWORK_ID, "public", true}}) {
                if (e.query.containsKey("name") && !e.query.get("name").equals(n[1])) {
                    continue;
                }
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("id", n[0]);
                json.put("name", n[1]);
                json.put("status", "ACTIVE");
                json.put("subnets", List.of());
                json.put("admin_state_up", true);
                json.put("tenant_id", StubState.PROJECT_ID);
                json.put("project_id", StubState.PROJECT_ID);
                json.put("shared", false);
                json.put("router:external", n[2]);
                json.put("port_security_enabled", true);
                json.put("created_at", "2026-01-01T00:00:00Z");
                json.put("updated_at", "2026-01-01T00:00:00Z");
                networks.add(json);
            }
            e.reply(200, Map.of("networks", networks));
        } else if (p.length == 1 && "ports".equals(p[0]) && "GET".equals(e.method)) {
            List<Object> ports = new ArrayList<>();
            synchronized (stub.state) {
                for (StubState.Server s : stub.state.servers.values()) {
                    if (!e.query.containsKey("device_id") || e.query.get("device_id").equals(s.id)) {
                        ports.add(port(s));
                    }
                }
            }
            e.reply(200, Map.of("ports", ports));
        } else if (p.length == 1 && "floatingips".equals(p[0]) && "GET".equals(e.method)) {
            List<Object> ips = new ArrayList<>();
            synchronized (stub.state) {
                for (StubState.FloatingIp f : stub.state.floatingIps.values()) {
                    if (!e.query.containsKey("port_id") || e.query.get("port_id").equals(f.portId)) {
                        ips.add(json(f));
                    }
                }
            }
            e.reply(200, Map.of("floatingips", ips));
        } else if (p.length == 1 && "floatingips".equals(p[0]) && "POST".equals(e.method)) {
            create(e, e.body.path("floatingip"));
        } else if (p.length == 2 && "floatingips".equals(p[0]) && "DELETE".equals(e.method)) {
            synchronized (stub.state) {
                if (stub.state.floatingIps.remove(p[1]) == null) {
                    neutronError(e, 404, "FloatingIPNotFound", "Floating IP " + p[1] + " could not be found");
                    return;
                }
            }
            e.reply(204, null);
        } else {
            neutronError(e, 404, "HTTPNotFound", "The resource could not be found.");
        }
    }

    private void create(StubExchange e, JsonNode request) throws IOException {
        if (!StubState.PUBLIC_NETWORK_ID.equals(request.path("floating_network_id").asText())) {
            neutronError(e, 404, "ExternalNetworkNotFound", "External network "
                    + request.path("floating_network_id").asText() + " could not be found.");
            return;
        }
        Map<String, Object> json;
        synchronized (stub.state) {
            StubState.FloatingIp ip = new StubState.FloatingIp();
            String portId = request.path("port_id").asText(null);
            if (portId != null) {
                StubState.Server server = stub.state.servers.values().stream().filter(s -> s.portId.equals(portId))
                        .findFirst().orElse(null);
                if (server == null) {
                    neutronError(e, 404, "PortNotFound", "Port " + portId + " could not be found.");
                    return;
                }
                ip.portId = portId;
                ip.fixedAddress = server.fixedAddress;
            }
            int n = stub.state.floatingIps.size() + 1;
            while (taken("127.11.200." + n)) {
                n++;
            }
            if (n > 254) {
                neutronError(e, 409, "IpAddressGenerationFailure", "No more IP addresses available on network "
                        + StubState.PUBLIC_NETWORK_ID + ".");
                return;
            }
            ip.address = "127.11.200." + n;
            ip.networkId = StubState.PUBLIC_NETWORK_ID;
            ip.description = request.path("description").asText("");
            stub.state.floatingIps.put(ip.id, ip);
            json = json(ip);
        }
        e.reply(201, Map.of("floatingip", json));
    }

    private boolean taken(String address) {
        return stub.state.floatingIps.values().stream().anyMatch(f -> f.address.equals(address));
    }

    private static Map<String, Object> port(StubState.Server s) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", s.portId);
        json.put("name", "");
        json.put("network_id", StubState.PRIVATE_NETWORK_ID);
        json.put("device_id", s.id);
        json.put("device_owner", "compute:nova");
        json.put("mac_address", s.mac);
        json.put("fixed_ips", List.of(Map.of("ip_address", s.fixedAddress,
                "subnet_id", "6a1c2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d")));
        json.put("allowed_address_pairs", List.of());
        json.put("admin_state_up", true);
        json.put("status", "ACTIVE");
        json.put("security_groups", List.of());
        json.put("description", "");
        json.put("data_plane_status", null);
        json.put("tenant_id", StubState.PROJECT_ID);
        json.put("project_id", StubState.PROJECT_ID);
        json.put("created_at", s.created.toString());
        json.put("updated_at", s.created.toString());
        return json;
    }

    private static Map<String, Object> json(StubState.FloatingIp f) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", f.id);
        json.put("floating_ip_address", f.address);
        json.put("floating_network_id", f.networkId);
        json.put("fixed_ip_address", f.fixedAddress);
        json.put("port_id", f.portId);
        json.put("router_id", f.portId == null ? null : "4910645f-7efe-4c37-918e-3ace85162985");
        json.put("status", f.portId == null ? "DOWN" : "ACTIVE");
        json.put("description", f.description);
        json.put("tags", List.of());
        json.put("tenant_id", StubState.PROJECT_ID);
        json.put("project_id", StubState.PROJECT_ID);
        json.put("qos_policy_id", null);
        json.put("revision_number", 1);
        json.put("created_at", f.created.toString());
        json.put("updated_at", f.created.toString());
        return json;
    }

    private static void neutronError(StubExchange e, int status, String type, String message) throws IOException {
        e.reply(status, Map.of("NeutronError", Map.of("type", type, "message", message, "detail", "")));
    }
}
