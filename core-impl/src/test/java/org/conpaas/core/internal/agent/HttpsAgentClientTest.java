package org.conpaas.core.internal.agent;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLParameters;
import org.conpaas.api.AgentException;
import org.conpaas.api.service.ServiceNode;
import org.conpaas.core.internal.security.BouncyCastlePki;
import org.conpaas.core.internal.security.NodeCredentials;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The client against an in-process fake agent (JDK HttpsServer on loopback) that answers what each test wants. */
public class HttpsAgentClientTest {

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private BouncyCastlePki pki;
    private HttpsServer fakeAgent;
    private HttpsAgentClient client;
    private volatile Answer answer;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    private interface Answer {
        void send(HttpExchange exchange) throws Exception;
    }

    @Before
    public void startFakeAgent() throws Exception {
        pki = new BouncyCastlePki(temp.getRoot().toPath().resolve("pki"));
        NodeCredentials node = pki.issueNodeCredentials("node-3", "alice", 42);
        fakeAgent = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
        fakeAgent.setHttpsConfigurator(new HttpsConfigurator(TestTls.context(node, node)) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters parameters = getSSLContext().getDefaultSSLParameters();
                parameters.setNeedClientAuth(true);
                params.setSSLParameters(parameters);
            }
        });
        fakeAgent.createContext("/", exchange -> {
            try (exchange) {
                requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                        + exchange.getRequestHeaders().getFirst("Content-Type") + "\n"
                        + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                answer.send(exchange);
            } catch (Exception e) {
                throw new IOException(e);
            }
        });
        fakeAgent.setExecutor(Executors.newCachedThreadPool());
        fakeAgent.start();
        client = new HttpsAgentClient(pki);
    }

    @After
    public void stopFakeAgent() {
        fakeAgent.stop(0);
    }

    @Test
    public void statusReadsIdentityPidAndPlugins() {
        answer = json(200, "{\"nodeId\":\"node-3\",\"role\":\"web\",\"pid\":4321,\"plugins\":{\"php\":\"1.2.0\"}}");
        AgentStatus status = client.status(node("node-3"), Duration.ofSeconds(5));
        assertEquals(new AgentStatus("node-3", 4321, Map.of("php", "1.2.0"), Map.of()), status);
        assertTrue(requests.get(0).startsWith("GET /v1/status"));
    }

    @Test
    public void statusOfAnotherNodeIsAFailure() {
        answer = json(200, "{\"nodeId\":\"node-4\",\"pid\":1,\"plugins\":{}}");
        AgentException e = expectFailure(() -> client.status(node("node-3"), Duration.ofSeconds(5)));
        assertEquals("node-3", e.nodeId());
        assertTrue(e.getMessage(), e.getMessage().contains("is node-4, not node node-3"));
    }

    @Test
    public void aSilentAgentTimesOutWithAClearSentence() {
        answer = exchange -> Thread.sleep(1_500);
        long started = System.nanoTime();
        AgentException e = expectFailure(() -> client.status(node("node-3"), Duration.ofMillis(500)));
        assertEquals("node node-3 did not answer within 500 ms (status)", e.getMessage());
        assertTrue(System.nanoTime() - started < 1_400_000_000L);
    }

    @Test
    public void aClosedPortIsRefused() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            closedPort = socket.getLocalPort();
        }
        ServiceNode gone = new ServiceNode("node-5", "web", "127.0.0.1", closedPort, "local", "vm-5");
        AgentException e = expectFailure(() -> client.status(gone, Duration.ofSeconds(2)));
        assertEquals("node node-5 refused the connection at 127.0.0.1:" + closedPort, e.getMessage());
    }

    @Test
    public void aBusyAgentIsAskedAgainWhileTheStatusTimeoutAllows() {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        Answer ok = json(200, "{\"nodeId\":\"node-3\",\"pid\":7,\"plugins\":{}}");
        answer = exchange -> {
            if (calls.incrementAndGet() < 3) {
                exchange.getResponseHeaders().set("Retry-After", "0");
                problem(503, "the agent is busy with 16 requests").send(exchange);
            } else {
                ok.send(exchange);
            }
        };
        assertEquals(7, client.status(node("node-3"), Duration.ofSeconds(5)).pid());
        assertEquals(3, requests.size());
    }

    @Test
    public void anAgentBusyForTheWholeTimeoutIsBusyNotUnreachable() {
        answer = exchange -> {
            exchange.getResponseHeaders().set("Retry-After", "1");
            problem(503, "the agent is busy with 16 requests; retry in 1 s").send(exchange);
        };
        long started = System.nanoTime();
        AgentException e = expectFailure(() -> client.status(node("node-3"), Duration.ofMillis(600)));
        assertTrue(e.getClass().getName(), e instanceof AgentBusyException);
        assertEquals(Duration.ofSeconds(1), ((AgentBusyException) e).retryAfter());
        assertEquals("node node-3 is busy and refused status for now: the agent is busy with 16 requests; retry in "
                + "1 s (HTTP 503)", e.getMessage());
        assertTrue("no pause beyond the timeout", System.nanoTime() - started < 1_500_000_000L);

        // other calls are not repeated behind the caller's back: the busy answer is the result
        requests.clear();
        AgentException call = expectFailure(() -> client.call(node("node-3"), "php", "restart", Map.of(), Map.of()));
        assertTrue(call instanceof AgentBusyException);
        assertEquals(1, requests.size());
    }

    @Test
    public void problemDetailsBecomeTheMessage() {
        answer = problem(422, "bundle x did not register an agent plugin of type php within 20 s");
        AgentException e = expectFailure(() -> client.installPlugin(node("node-3"), "php", new byte[] {1, 2}));
        assertEquals("node node-3 refused installing plugin php: bundle x did not register an agent plugin of "
                + "type php within 20 s (HTTP 422)", e.getMessage());
        assertTrue(requests.get(0).startsWith("PUT /v1/plugins/php application/java-archive"));
    }

    @Test
    public void callSendsJsonOrMultipartAndReturnsTheResult() throws Exception {
        answer = json(200, "{\"result\":{\"ok\":true,\"n\":[1,2]}}");
        Object result = client.call(node("node-3"), "php", "restart", Map.of("graceful", true), Map.of());
        assertEquals(Map.of("ok", true, "n", List.of(1, 2)), result);
        assertEquals("POST /v1/plugins/php/operations/restart application/json\n{\"graceful\":true}", requests.get(0));

        Path code = temp.newFile("code.zip").toPath();
        Files.writeString(code, "zip bytes");
        client.call(node("node-3"), "php", "deploy", Map.of("version", "v2"), Map.of("archive", code));
        String multipart = requests.get(1);
        assertTrue(multipart, multipart.startsWith("POST /v1/plugins/php/operations/deploy multipart/form-data; boundary="));
        assertTrue(multipart, multipart.contains("name=\"params\"\r\nContent-Type: application/json\r\n\r\n{\"version\":\"v2\"}\r\n"));
        assertTrue(multipart, multipart.contains("name=\"archive\"; filename=\"code.zip\""));
        assertTrue(multipart, multipart.contains("\r\n\r\nzip bytes\r\n--"));
    }

    @Test
    public void logAsksForTheTail() {
        answer = exchange -> {
            byte[] body = "last line\n".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        };
        assertEquals("last line\n", client.log(node("node-3"), "agent.log", 5));
        assertTrue(requests.get(0).startsWith("GET /v1/logs/agent.log?tail=5"));
    }

    private ServiceNode node(String id) {
        return new ServiceNode(id, "web", "127.0.0.1", fakeAgent.getAddress().getPort(), "local", "vm-1");
    }

    private static Answer json(int status, String body) {
        return exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        };
    }

    private static Answer problem(int status, String detail) {
        return json(status, "{\"title\":\"x\",\"status\":" + status + ",\"detail\":\"" + detail + "\"}");
    }

    private static AgentException expectFailure(Runnable call) {
        try {
            call.run();
        } catch (AgentException e) {
            return e;
        }
        fail("the call should have failed");
        return null;
    }
}
