package org.conpaas.agent.core.http;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.conpaas.api.agent.AgentPlugin;
import org.conpaas.service.support.code.CodeStore;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The code endpoints over HTTP: store, activate (the plug-in reacts; a refusal switches back), list. */
public class CodeRequestsTest {

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient client = HttpClient.newHttpClient();
    /** What the plug-in saw, in order; it refuses the version named "bad". */
    private final List<String> activated = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private Path codeDir;

    @Before
    public void setUp() throws Exception {
        codeDir = temp.newFolder("node", "code").toPath();
        Path uploads = temp.newFolder("uploads").toPath();
        AgentPlugin plugin = new AgentPlugin() {
            @Override
            public Object invoke(String operation, Map<String, Object> params, Map<String, Path> files) {
                return null;
            }

            @Override
            public void onCodeActivated(String version) {
                activated.add(version);
                if (version.equals("bad")) {
                    throw new IllegalStateException("the server cannot serve bad");
                }
            }
        };
        Responses responses = new Responses();
        CodeRequests code = new CodeRequests(new CodeStore(codeDir), uploads, () -> List.of(plugin), responses);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 10);
        server.createContext("/v1/code", exchange -> {
            try (exchange) {
                String[] path = exchange.getRequestURI().getPath().split("/");
                try {
                    code.handle(exchange, exchange.getRequestMethod(), Arrays.asList(path).subList(3, path.length));
                } catch (Problem problem) {
                    try {
                        exchange.getRequestBody().readAllBytes();
                    } catch (java.io.IOException closed) {
                        // the endpoint read the body already
                    }
                    responses.problem(exchange, problem);
                }
            }
        });
        server.start();
    }

    @After
    public void tearDown() {
        server.stop(0);
    }

    @Test
    public void storesActivatesAndSwitchesBackWhenThePluginRefuses() throws Exception {
        assertEquals(200, put("/v1/code/versions/v1", zip("index.html", "one")).statusCode());
        JsonNode listed = json.readTree(get("/v1/code").body());
        assertTrue(listed.path("active").isNull());
        assertEquals("[\"v1\"]", listed.path("versions").toString());

        assertEquals(200, activate("v1").statusCode());
        assertEquals("one", Files.readString(codeDir.resolve("current/index.html")));
        assertEquals(200, put("/v1/code/versions/v2", zip("index.html", "two")).statusCode());
        assertEquals(200, activate("v2").statusCode());
        assertEquals("two", Files.readString(codeDir.resolve("current/index.html")));
        assertEquals("[\"v1\",\"v2\"]", json.readTree(get("/v1/code").body()).path("versions").toString());
        assertEquals(200, put("/v1/code/versions/bad", zip("index.html", "bad")).statusCode());

        HttpResponse<String> refused = activate("bad");
        assertEquals(refused.body(), 500, refused.statusCode());
        assertTrue(refused.body(), refused.body().contains("the server cannot serve bad; the node serves v2 again"));
        assertEquals("two", Files.readString(codeDir.resolve("current/index.html")));
        assertEquals(List.of("v1", "v2", "bad", "v2"), activated);
        assertEquals("v2", json.readTree(get("/v1/code").body()).path("active").asText());
        // the active and the one before it stay; older versions are deleted
        assertEquals("[\"bad\",\"v2\"]", json.readTree(get("/v1/code").body()).path("versions").toString());
    }

    @Test
    public void refusesWhatItCannotStoreOrActivate() throws Exception {
        HttpResponse<String> escaping = put("/v1/code/versions/v1", zip("../outside.txt", "x"));
        assertEquals(escaping.body(), 422, escaping.statusCode());
        assertFalse(Files.exists(codeDir.resolve("v1")));
        assertFalse(Files.exists(codeDir.getParent().resolve("outside.txt")));
        assertEquals(400, put("/v1/code/versions/.hidden", zip("a", "b")).statusCode());
        assertEquals(400, put("/v1/code/versions/v2", new byte[0]).statusCode());
        assertEquals(409, activate("v9").statusCode());
        assertEquals(400, put("/v1/code/active", "{}".getBytes(StandardCharsets.UTF_8)).statusCode());
        assertEquals(405, get("/v1/code/active").statusCode());
        assertTrue(activated.isEmpty());
    }

    private HttpResponse<String> activate(String version) throws Exception {
        return put("/v1/code/active", json.writeValueAsBytes(Map.of("version", version)));
    }

    private HttpResponse<String> put(String path, byte[] body) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(path)).PUT(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private static byte[] zip(String name, String content) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry(name));
            zip.write(content.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }
}
