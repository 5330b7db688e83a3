package org.conpaas.agent.core.http;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.conpaas.agent.core.AgentConfiguration;
import org.conpaas.agent.core.volumes.VolumeMounts;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The three volume endpoints over HTTP (plain HTTP here: TLS is AgentHttpServer's business), with real mounts. */
public class AgentApiVolumesTest {

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient client = HttpClient.newHttpClient();
    private HttpServer server;
    private Path workDir;
    private VolumeMounts volumes;

    @Before
    public void setUp() throws Exception {
        workDir = temp.newFolder("node").toPath().toRealPath();
        AgentConfiguration config = new AgentConfiguration("node-1", "node", "u1", 7, 3, "127.0.0.1", 0,
                workDir.resolve("k.p12"), workDir.resolve("t.p12"), "pw", workDir, "", Map.of(),
                workDir.resolve("media"));
        Files.createDirectories(config.mediaDir());
        volumes = new VolumeMounts(config.mediaDir());
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 10);
        // plug-in endpoints are not called here, so they need no registry or installer
        server.createContext("/", new AgentApi(config, null, null, volumes));
        server.start();
    }

    @After
    public void tearDown() throws Exception {
        server.stop(0);
        for (VolumeMounts.Volume volume : volumes.list()) {
            volumes.unmount(volume.name());
        }
    }

    @Test
    public void mountsListsAndUnmountsAVolume() throws Exception {
        Path image = temp.getRoot().toPath().toRealPath().resolve("vol-1.img");
        try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
            file.setLength(8L * 1024 * 1024);
        }
        String body = json.writeValueAsString(Map.of("device", image.toString()));

        HttpResponse<String> mounted = send("PUT", "/v1/volumes/data", body);
        assertEquals(mounted.body(), 200, mounted.statusCode());
        JsonNode answer = json.readTree(mounted.body());
        assertEquals("data", answer.path("name").asText());
        String path = workDir.resolve("media/data").toString();
        assertEquals(path, answer.path("path").asText());
        assertEquals(mounted.body(), 200, send("PUT", "/v1/volumes/data", body).statusCode());

        JsonNode listed = json.readTree(send("GET", "/v1/volumes", null).body());
        assertEquals(1, listed.size());
        assertEquals("data", listed.get(0).path("name").asText());
        assertEquals(path, listed.get(0).path("path").asText());
        assertEquals(image.toString(), listed.get(0).path("device").asText());

        HttpResponse<String> unmounted = send("DELETE", "/v1/volumes/data", null);
        assertEquals(unmounted.body(), 200, unmounted.statusCode());
        assertEquals("{}", unmounted.body());
        assertFalse(Files.exists(Path.of(path)));
        assertEquals("[]", send("GET", "/v1/volumes", null).body());
        assertEquals(200, send("DELETE", "/v1/volumes/data", null).statusCode());
    }

    @Test
    public void badRequestsAnswerProblems() throws Exception {
        assertProblem(send("PUT", "/v1/volumes/a.b", "{\"device\":\"/tmp/x.img\"}"), 400,
                "'a.b' is not a valid volume name");
        assertProblem(send("PUT", "/v1/volumes/a%2Fb", "{\"device\":\"/tmp/x.img\"}"), 400,
                "'a/b' is not a valid volume name");
        assertProblem(send("PUT", "/v1/volumes/data", "{}"), 400, "\"device\"");
        assertProblem(send("PUT", "/v1/volumes/data", "not json"), 400, "\"device\"");
        assertProblem(send("PUT", "/v1/volumes/data", "{\"device\":\"/dev/null\"}"), 400,
                "device /dev/null is neither an image file nor a block device");
        assertProblem(send("POST", "/v1/volumes/data", "{}"), 405, "use DELETE");
        assertProblem(send("DELETE", "/v1/volumes", null), 405, "use GET");
        assertTrue(volumes.list().isEmpty());
    }

    private void assertProblem(HttpResponse<String> response, int status, String detailPart) throws Exception {
        assertEquals(response.body(), status, response.statusCode());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
        String detail = json.readTree(response.body()).path("detail").asText();
        assertTrue(detail, detail.contains(detailPart));
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
