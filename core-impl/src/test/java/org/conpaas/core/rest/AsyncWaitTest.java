package org.conpaas.core.rest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.conpaas.core.rest.RestHarness.Reply;
import org.junit.After;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** {@code ?wait} suspends the request instead of holding a Jetty thread, and answers when the service settles. */
public class AsyncWaitTest {

    /** Enough for the two connectors' acceptors and selectors and a handful of requests, far fewer than waiters. */
    private static final int JETTY_THREADS = 12;
    private static final int WAITERS = 3 * JETTY_THREADS;

    private final FakeDirector director = new FakeDirector();
    private RestHarness rest;

    @After
    public void stop() throws Exception {
        if (rest != null) {
            rest.close();
        }
    }

    @Test
    public void waitingClientsHoldNoThreadAndAreAnsweredWhenTheirServiceSettles() throws Exception {
        rest = new RestHarness(director, "alice", RestServers.DEFAULT_MAX_UPLOAD_BYTES, JETTY_THREADS);
        director.settleWhenWaitedFor = false;
        assertEquals(201, rest.post("/api/v1/applications", "{\"name\":\"shop\"}").status());
        for (int i = 0; i < WAITERS; i++) {
            assertEquals(201, rest.post("/api/v1/applications/shop/services", "{\"type\":\"helloworld\"}").status());
        }
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
        for (int i = 1; i <= WAITERS; i++) {
            HttpRequest start = HttpRequest.newBuilder(rest.base.resolve("/api/v1/applications/shop/services/" + i
                    + "/start?wait=120")).header("Authorization", RestHarness.basic("alice",
                            RestHarness.password("alice")))
                    .POST(HttpRequest.BodyPublishers.noBody()).build();
            waiting.add(client.sendAsync(start, HttpResponse.BodyHandlers.ofString()));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (director.waiting() < WAITERS && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals("every start is waiting for its service to settle", WAITERS, director.waiting());
        // Three times as many waiting requests as Jetty has threads, and still a new request is served at once.
        long before = System.nanoTime();
        Reply version = rest.get("/api/v1/version");
        assertEquals(200, version.status());
        assertTrue("a new request had to wait for a thread", System.nanoTime() - before
                < TimeUnit.SECONDS.toNanos(3));
        assertTrue(waiting.stream().noneMatch(CompletableFuture::isDone));
        assertEquals("PROLOGUE", rest.get("/api/v1/applications/shop/services/7").json().get("state").asText());

        director.settle("alice", "shop", "7");
        HttpResponse<String> seventh = waiting.get(6).get(10, TimeUnit.SECONDS);
        assertEquals(seventh.body(), 200, seventh.statusCode());
        assertEquals("RUNNING", new ObjectMapper().readTree(seventh.body()).get("state").asText());
        assertFalse(waiting.get(5).isDone());

        for (int i = 1; i <= WAITERS; i++) {
            director.settle("alice", "shop", String.valueOf(i));
        }
        for (CompletableFuture<HttpResponse<String>> reply : waiting) {
            HttpResponse<String> answer = reply.get(10, TimeUnit.SECONDS);
            assertEquals(answer.body(), 200, answer.statusCode());
            JsonNode service = new ObjectMapper().readTree(answer.body());
            assertEquals("RUNNING", service.get("state").asText());
        }
        assertEquals(0, director.waiting());
    }

    @Test
    public void aWaitThatRunsOutAnswersTheStateOfThatMoment() throws Exception {
        rest = new RestHarness(director, "alice");
        director.settleWhenWaitedFor = false;
        director.pollsUntilSettled = 100;
        assertEquals(201, rest.post("/api/v1/applications", "{\"name\":\"shop\"}").status());
        assertEquals(201, rest.post("/api/v1/applications/shop/services", "{\"type\":\"helloworld\"}").status());
        long before = System.nanoTime();
        Reply started = rest.post("/api/v1/applications/shop/services/1/start?wait=1", null);
        Duration took = Duration.ofNanos(System.nanoTime() - before);
        assertEquals(started.body(), 200, started.status());
        assertEquals("PROLOGUE", started.json().get("state").asText());
        assertTrue("answered after " + took, took.toMillis() >= 900 && took.toMillis() < 8000);
        assertEquals(0, director.waiting());
    }

    @Test
    public void aServiceThatSettledAlreadyIsAnsweredAtOnceAndFailuresAreProblems() throws Exception {
        rest = new RestHarness(director, "alice");
        assertEquals(201, rest.post("/api/v1/applications", "{\"name\":\"shop\"}").status());
        assertEquals(201, rest.post("/api/v1/applications/shop/services", "{\"type\":\"helloworld\"}").status());
        Reply started = rest.post("/api/v1/applications/shop/services/1/start?wait=30", "{}");
        assertEquals(started.body(), 200, started.status());
        assertEquals("RUNNING", started.json().get("state").asText());
        // the operation itself fails before anything waits: the usual problem, not a suspended request
        Reply again = rest.post("/api/v1/applications/shop/services/1/start?wait=30", "{}");
        assertEquals(again.body(), 409, again.status());
        assertTrue(again.contentType().startsWith("application/problem+json"));
        Reply unknown = rest.post("/api/v1/applications/shop/services/9/stop?wait=30", null);
        assertEquals(unknown.body(), 404, unknown.status());
        assertEquals(0, director.waiting());
    }
}
