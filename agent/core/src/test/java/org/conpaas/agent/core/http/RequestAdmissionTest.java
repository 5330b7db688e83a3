package org.conpaas.agent.core.http;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * Saturates a real JDK HTTP server wired as the agent's ({@link RequestAdmission#serve}): every request blocks until
 * the test lets it go, so the server is as busy as it gets.
 */
public class RequestAdmissionTest {

    private static final int MAX_CONCURRENT = 4;

    private final CountDownLatch release = new CountDownLatch(1);
    private final Set<String> handlerThreads = ConcurrentHashMap.newKeySet();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private HttpServer server;
    private ExecutorService executor;
    private URI base;

    @Before
    public void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 50);
        executor = RequestAdmission.serve(server, exchange -> {
            handlerThreads.add(Thread.currentThread().getName());
            try (exchange) {
                if (exchange.getRequestURI().getPath().equals("/v1/slow")) {
                    release.await(30, TimeUnit.SECONDS);
                }
                Responses.send(exchange, 200, "text/plain", "done".getBytes(StandardCharsets.UTF_8));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, MAX_CONCURRENT);
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @After
    public void stop() {
        release.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    private CompletableFuture<HttpResponse<String>> get(String path) {
        return client.sendAsync(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    public void aSaturatedAgentAnswers503AtOnceAndNeverWorksOnItsDispatcher() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
        for (int i = 0; i < MAX_CONCURRENT; i++) {
            slow.add(get("/v1/slow"));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (handlerThreads.size() < MAX_CONCURRENT && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals("all slow requests are at work", MAX_CONCURRENT, handlerThreads.size());

        // More than the spare threads at once: every one is answered, none waits for the slow ones.
        List<CompletableFuture<HttpResponse<String>>> extra = new ArrayList<>();
        for (int i = 0; i < 3 * RequestAdmission.SPARE_THREADS; i++) {
            extra.add(get("/v1/status"));
        }
        for (CompletableFuture<HttpResponse<String>> reply : extra) {
            HttpResponse<String> busy = reply.get(5, TimeUnit.SECONDS);
            assertEquals(busy.body(), 503, busy.statusCode());
            assertEquals("1", busy.headers().firstValue("Retry-After").orElse(""));
            assertTrue(busy.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
            JsonNode problem = new ObjectMapper().readTree(busy.body());
            assertEquals(503, problem.path("status").asInt());
            assertTrue(problem.path("detail").asText(), problem.path("detail").asText().contains("busy"));
        }
        assertTrue(slow.stream().noneMatch(CompletableFuture::isDone));

        release.countDown();
        for (CompletableFuture<HttpResponse<String>> reply : slow) {
            assertEquals(200, reply.get(10, TimeUnit.SECONDS).statusCode());
        }
        HttpResponse<String> again = get("/v1/status").get(10, TimeUnit.SECONDS);
        assertEquals("permits are given back", 200, again.statusCode());
        assertFalse("work ran on the dispatcher: " + handlerThreads,
                handlerThreads.stream().anyMatch(name -> !name.startsWith("agent-http-")));
    }
}
