package org.conpaas.service.testing.cloud.openstack;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Keystone v3 {@code POST /v3/auth/tokens}: the password method with user and project named in their domains (or by
 * id); 201 with {@code X-Subject-Token} and a token holding the catalog of the stub's services, else 401. And
 * Keystone v2.0 {@code POST /v2.0/tokens} (password credentials and tenant name): 200 with the access (token,
 * service catalog, user), as clouds that speak no v3 answer.
 */
final class Keystone {

    private static final SecureRandom RANDOM = new SecureRandom();
    private final OpenStackStub stub;

    Keystone(OpenStackStub stub) {
        this.stub = stub;
    }

    void handle(StubExchange e) throws IOException {
        if (!(e.is("POST", 2) && "auth".equals(e.path[0]) && "tokens".equals(e.path[1]))) {
            e.reply(404, Map.of("error", Map.of("code", 404, "title", "Not Found", "message",
                    "The resource could not be found.")));
            return;
        }
        JsonNode auth = e.body.path("auth");
        JsonNode user = auth.path("identity").path("password").path("user");
        JsonNode project = auth.path("scope").path("project");
        OpenStackStub.Account account = stub.account;
        boolean valid = auth.path("identity").path("methods").toString().contains("\"password\"")
                && account.user().equals(user.path("name").asText())
                && account.password().equals(user.path("password").asText())
                && account.userDomain().equals(user.path("domain").path("name").asText())
                && (account.project().equals(project.path("name").asText())
                        && account.projectDomain().equals(project.path("domain").path("name").asText())
                        || StubState.PROJECT_ID.equals(project.path("id").asText()));
        if (!valid) {
            e.reply(401, Map.of("error", Map.of("code", 401, "title", "Unauthorized",
                    "message", "The request you have made requires authentication.")));
            return;
        }
        String tokenId = newToken();
        Instant now = Instant.now();
        Map<String, Object> domain = Map.of("id", "default", "name", account.userDomain());
        Map<String, Object> token = new LinkedHashMap<>();
        token.put("methods", List.of("password"));
        token.put("roles", List.of(Map.of("id", "9fe2ff9ee4384b1894a90878d3e92bab", "name", "member")));
        token.put("expires_at", now.plus(1, ChronoUnit.HOURS).toString());
        token.put("project", Map.of("domain", Map.of("id", "default", "name", account.projectDomain()),
                "id", StubState.PROJECT_ID, "name", account.project()));
        token.put("catalog", List.of(
                service("identity", "keystone", stub.authUrl()),
                service("compute", "nova", stub.baseUrl() + "/compute/v2.1"),
                service("network", "neutron", stub.baseUrl() + "/network"),
                service("image", "glance", stub.baseUrl() + "/image"),
                service("volumev3", "cinderv3", stub.baseUrl() + "/volume/v3/" + StubState.PROJECT_ID)));
        token.put("extras", Map.of());
        token.put("user", Map.of("domain", domain, "id", StubState.USER_ID, "name", account.user(),
                "password_expires_at", "2099-01-01T00:00:00.000000"));
        token.put("audit_ids", List.of(UUID.randomUUID().toString().substring(0, 22)));
        token.put("issued_at", now.toString());
        e.reply(201, Map.of("token", token), Map.of("X-Subject-Token", tokenId));
    }

    void handleV2(StubExchange e) throws IOException {
        if (!(e.is("POST", 1) && "tokens".equals(e.path[0]))) {
            e.reply(404, Map.of("error", Map.of("code", 404, "title", "Not Found", "message",
                    "The resource could not be found.")));
            return;
        }
        JsonNode auth = e.body.path("auth");
        OpenStackStub.Account account = stub.account;
        boolean valid = account.user().equals(auth.path("passwordCredentials").path("username").asText())
                && account.password().equals(auth.path("passwordCredentials").path("password").asText())
                && (account.project().equals(auth.path("tenantName").asText())
                        || StubState.PROJECT_ID.equals(auth.path("tenantId").asText()));
        if (!valid) {
            e.reply(401, Map.of("error", Map.of("code", 401, "title", "Unauthorized",
                    "message", "The request you have made requires authentication.")));
            return;
        }
        String tokenId = newToken();
        Instant now = Instant.now();
        Map<String, Object> token = new LinkedHashMap<>();
        token.put("issued_at", now.toString());
        token.put("expires", now.plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString());
        token.put("id", tokenId);
        token.put("tenant", Map.of("description", "", "enabled", true, "id", StubState.PROJECT_ID,
                "name", account.project()));
        Map<String, Object> access = new LinkedHashMap<>();
        access.put("token", token);
        access.put("serviceCatalog", List.of(
                serviceV2("identity", "keystone", stub.baseUrl() + "/identity/v2.0"),
                serviceV2("compute", "nova", stub.baseUrl() + "/compute/v2.1"),
                serviceV2("network", "neutron", stub.baseUrl() + "/network"),
                serviceV2("image", "glance", stub.baseUrl() + "/image"),
                serviceV2("volumev3", "cinderv3", stub.baseUrl() + "/volume/v3/" + StubState.PROJECT_ID)));
        access.put("user", Map.of("username", account.user(), "roles_links", List.of(), "id", StubState.USER_ID,
                "roles", List.of(Map.of("name", "member")), "name", account.user()));
        access.put("metadata", Map.of("is_admin", 0, "roles", List.of("9fe2ff9ee4384b1894a90878d3e92bab")));
        e.reply(200, Map.of("access", access));
    }

    private String newToken() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        String tokenId = "gAAAA" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        synchronized (stub.state) {
            stub.state.tokens.put(tokenId, stub.account.user());
        }
        return tokenId;
    }

    private static Map<String, Object> serviceV2(String type, String name, String url) {
        return Map.of("endpoints", List.of(Map.of("adminURL", url, "region", OpenStackStub.REGION,
                "internalURL", url, "id", UUID.randomUUID().toString().replace("-", ""), "publicURL", url)),
                "endpoints_links", List.of(), "type", type, "name", name);
    }

    private static Map<String, Object> service(String type, String name, String url) {
        List<Map<String, Object>> endpoints = List.of("public", "internal", "admin").stream()
                .map(i -> Map.<String, Object>of("region_id", OpenStackStub.REGION, "url", url,
                        "region", OpenStackStub.REGION, "interface", i, "id", UUID.randomUUID().toString()))
                .toList();
        return Map.of("endpoints", endpoints, "type", type, "id", UUID.randomUUID().toString(), "name", name);
    }
}
