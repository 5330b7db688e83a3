package org.conpaas.agent.core.http;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.conpaas.agent.core.AgentConfiguration;
import org.conpaas.agent.core.plugins.FakeReferences;
import org.conpaas.agent.core.plugins.PluginRegistry;
import org.conpaas.agent.core.volumes.VolumeMounts;
import org.conpaas.api.agent.AgentPlugin;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A plug-in's operation over HTTP: the parameters as the plug-in sees them and its result as the director reads
 * it (with Jackson, as the director does), and the refusals of bad parameters. Plain HTTP: TLS is AgentHttpServer's.
 */
public class AgentApiOperationsTest {

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private record Member(String id, int port) {
    }

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient client = HttpClient.newHttpClient();
    private final AtomicReference<Map<String, Object>> seen = new AtomicReference<>();
    private HttpServer server;

    @Before
    public void setUp() throws Exception {
        Path workDir = temp.newFolder("node").toPath().toRealPath();
        AgentConfiguration config = new AgentConfiguration("node-1", "node", "u1", 7, 3, "127.0.0.1", 0,
                workDir.resolve("k.p12"), workDir.resolve("t.p12"), "pw", workDir, "", Map.of(),
                workDir.resolve("media"));
        Files.createDirectories(config.uploadDir());
        PluginRegistry registry = new PluginRegistry();
        registry.addPlugin(new AgentPlugin() {
            @Override
            public Object invoke(String operation, Map<String, Object> params, Map<String, Path> files) {
                seen.set(params);
                return switch (operation) {
                    case "echo" -> Map.of("params", params, "member", new Member("node-1", 5555));
                    case "opaque" -> Map.of("thread", Thread.currentThread());
                    default -> throw new IllegalArgumentException("unknown operation " + operation);
                };
            }
        }, FakeReferences.reference("echo"));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 10);
        server.createContext("/", new AgentApi(config, registry, null, new VolumeMounts(config.mediaDir())));
        server.start();
    }

    @After
    public void tearDown() {
        server.stop(0);
    }

    @Test
    public void theParametersReachThePluginAsMapsListsAndNumbersAndItsResultComesBackAsJson() throws Exception {
        HttpResponse<String> answer = post("/v1/plugins/echo/operations/echo",
                "{\"count\": 3, \"big\": 12345678901, \"ratio\": 0.5, \"names\": [\"a\", \"b\"], \"on\": true,"
                        + " \"none\": null, \"nested\": {\"k\": \"v\\u00e9\"}}");
        assertEquals(answer.body(), 200, answer.statusCode());
        Map<String, Object> params = seen.get();
        assertEquals(3, params.get("count"));
        assertEquals(12345678901L, params.get("big"));
        assertEquals(0.5, params.get("ratio"));
        assertEquals(List.of("a", "b"), params.get("names"));
        assertEquals(Map.of("k", "vé"), params.get("nested"));
        assertTrue(params.containsKey("none"));

        JsonNode result = json.readTree(answer.body()).path("result");
        assertEquals(3, result.path("params").path("count").asInt());
        assertEquals("vé", result.path("params").path("nested").path("k").asText());
        assertEquals("node-1", result.path("member").path("id").asText());
        assertEquals(5555, result.path("member").path("port").asInt());
    }

    @Test
    public void anEmptyBodyIsNoParameters() throws Exception {
        assertEquals(200, post("/v1/plugins/echo/operations/echo", "").statusCode());
        assertEquals(Map.of(), seen.get());
    }

    @Test
    public void parametersThatAreNotAJsonObjectAreRefusedWithWhereTheyWentWrong() throws Exception {
        HttpResponse<String> broken = post("/v1/plugins/echo/operations/echo", "{\"count\": 3,}");
        assertEquals(400, broken.statusCode());
        assertEquals("application/problem+json", broken.headers().firstValue("Content-Type").orElse(""));
        assertTrue(broken.body(), json.readTree(broken.body()).path("detail").asText()
                .startsWith("the operation parameters are not valid JSON: "));
        assertTrue(broken.body(), broken.body().contains("at character 12"));

        HttpResponse<String> list = post("/v1/plugins/echo/operations/echo", "[1, 2]");
        assertEquals(400, list.statusCode());
        assertEquals("the operation parameters must be a JSON object",
                json.readTree(list.body()).path("detail").asText());
    }

    @Test
    public void parametersBeyondTheBoundAreRefusedUnread() throws Exception {
        String huge = "{\"blob\": \"" + "x".repeat(AgentApi.MAX_PARAMETER_BYTES) + "\"}";
        HttpResponse<String> refused = post("/v1/plugins/echo/operations/echo", huge);
        assertEquals(413, refused.statusCode());
        assertEquals("the operation parameters are larger than 4 MB",
                json.readTree(refused.body()).path("detail").asText());
        assertEquals("the plug-in was not called", null, seen.get());
    }

    @Test
    public void aResultWithoutAJsonFormIsAnErrorThatSaysSo() throws Exception {
        HttpResponse<String> failed = post("/v1/plugins/echo/operations/opaque", "{}");
        assertEquals(500, failed.statusCode());
        assertTrue(failed.body(), json.readTree(failed.body()).path("detail").asText()
                .contains("java.lang.Thread cannot be written as JSON"));
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
        return client.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
