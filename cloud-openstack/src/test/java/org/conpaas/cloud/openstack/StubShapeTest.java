package org.conpaas.cloud.openstack;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.conpaas.service.testing.cloud.openstack.OpenStackStub;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;

/**
 * The stub answers in the shapes openstack4j's own fixtures ({@code openstack4j-core-test}, recorded from real
 * clouds and the API reference) have: every field of a fixture's object is in the stub's object of the same kind,
 * except the few admin-only extensions named here. The driver's own tests then show openstack4j reads them.
 */
public class StubShapeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Rule
    public final StubCloud cloud = new StubCloud();

    private final HttpClient http = HttpClient.newHttpClient();
    private String token;
    private JsonNode tokenBody;

    @Before
    public void authenticate() throws Exception {
        OpenStackStub.Account a = OpenStackStub.DEFAULT_ACCOUNT;
        String body = "{\"auth\":{\"identity\":{\"methods\":[\"password\"],\"password\":{\"user\":{\"name\":\""
                + a.user() + "\",\"domain\":{\"name\":\"" + a.userDomain() + "\"},\"password\":\"" + a.password()
                + "\"}}},\"scope\":{\"project\":{\"name\":\"" + a.project() + "\",\"domain\":{\"name\":\""
                + a.projectDomain() + "\"}}}}}";
        HttpResponse<String> reply = http.send(HttpRequest.newBuilder(URI.create(cloud.stub().authUrl()
                + "/auth/tokens")).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, reply.statusCode());
        token = reply.headers().firstValue("X-Subject-Token").orElseThrow();
        tokenBody = JSON.readTree(reply.body());
    }

    @Test
    public void keystoneTokenAndCatalog() throws Exception {
        JsonNode fixture = fixture("identity/v3/authv3_project.json").path("token");
        JsonNode stub = tokenBody.path("token");
        assertHasFields("token", fixture, stub);
        assertHasFields("catalog service", fixture.path("catalog").get(0), stub.path("catalog").get(0));
        assertHasFields("endpoint", fixture.path("catalog").get(0).path("endpoints").get(0),
                stub.path("catalog").get(0).path("endpoints").get(0));
        assertHasFields("project", fixture.path("project"), stub.path("project"));
        assertHasFields("user", fixture.path("user"), stub.path("user"));
    }

    @Test
    public void keystoneV2Access() throws Exception {
        OpenStackStub.Account a = OpenStackStub.DEFAULT_ACCOUNT;
        String body = "{\"auth\":{\"passwordCredentials\":{\"username\":\"" + a.user() + "\",\"password\":\""
                + a.password() + "\"},\"tenantName\":\"" + a.project() + "\"}}";
        HttpResponse<String> reply = http.send(HttpRequest.newBuilder(URI.create(cloud.stub().authUrlV2()
                + "/tokens")).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, reply.statusCode());
        JsonNode fixture = fixture("identity/v2/access.json").path("access");
        JsonNode stub = JSON.readTree(reply.body()).path("access");
        assertHasFields("access", fixture, stub);
        assertHasFields("token", fixture.path("token"), stub.path("token"));
        assertHasFields("tenant", fixture.path("token").path("tenant"), stub.path("token").path("tenant"));
        assertHasFields("service", fixture.path("serviceCatalog").get(0), stub.path("serviceCatalog").get(0));
        assertHasFields("endpoint", fixture.path("serviceCatalog").get(0).path("endpoints").get(0),
                stub.path("serviceCatalog").get(0).path("endpoints").get(0));
        assertHasFields("user", fixture.path("user"), stub.path("user"));
    }

    @Test
    public void novaServersAndFlavors() throws Exception {
        cloud.stub().createForeignServer("shape", java.util.Map.of("k", "v"));
        assertHasFields("server", fixture("compute/servers.json").path("servers").get(0),
                get("/compute/v2.1/servers/detail").path("servers").get(0));
        assertHasFields("flavor", fixture("compute/flavors_detailed.json").path("flavors").get(0),
                get("/compute/v2.1/flavors/detail").path("flavors").get(0));
    }

    @Test
    public void neutronNetworksPortsAndFloatingIps() throws Exception {
        OpenStackCloudDriver driver = cloud.driver(cloud.settings("m1.tiny",
                OpenStackStub.DEFAULT_ACCOUNT.password(), OpenStackSettings.FloatingIpMode.POOL));
        driver.launch(new org.conpaas.api.cloud.LaunchRequest("shape", List.of(new org.conpaas.api.cloud.NodeLaunch(
                "n1", "n1", "node", "#!/bin/sh\nexec sleep 900\n")), null));
        // "segments" (provider networks) is shown to administrators only
        assertHasFields("network", fixture("network/network-external.json").path("network"),
                get("/network/v2.0/networks").path("networks").get(1), "segments");
        assertHasFields("port", fixture("network/ports_external.json").path("ports").get(0),
                get("/network/v2.0/ports").path("ports").get(0));
        assertHasFields("floating IP", fixture("network/network_fips_list.json").path("floatingips").get(0),
                get("/network/v2.0/floatingips").path("floatingips").get(0));
    }

    @Test
    public void glanceImagesAndCinderVolumes() throws Exception {
        assertHasFields("image", fixture("image/v2/images.json").path("images").get(0),
                get("/image/v2/images").path("images").get(0));
        OpenStackCloudDriver driver = cloud.driver(cloud.settings());
        driver.createVolume("shape", 1);
        assertHasFields("volume", fixture("storage/v2/volume.json").path("volume"),
                get("/volume/v3/" + tokenBody.path("token").path("project").path("id").asText() + "/volumes/detail")
                        .path("volumes").get(0));
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> reply = http.send(HttpRequest.newBuilder(URI.create(cloud.stub().authUrl()
                .replace("/identity/v3", "") + path)).header("X-Auth-Token", token).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(path + ": " + reply.body(), 200, reply.statusCode());
        return JSON.readTree(reply.body());
    }

    private static JsonNode fixture(String name) throws Exception {
        try (InputStream in = StubShapeTest.class.getClassLoader().getResourceAsStream(name)) {
            assertTrue("fixture " + name + " on the test class path (openstack4j-core-test)", in != null);
            return JSON.readTree(in);
        }
    }

    private static void assertHasFields(String what, JsonNode fixture, JsonNode stub, String... notModelled) {
        assertTrue(what + ": the stub answered an object", stub != null && stub.isObject());
        Set<String> missing = new TreeSet<>();
        fixture.fieldNames().forEachRemaining(missing::add);
        stub.fieldNames().forEachRemaining(missing::remove);
        List.of(notModelled).forEach(missing::remove);
        assertEquals(what + " lacks fields the fixture has", Set.of(), missing);
    }
}
