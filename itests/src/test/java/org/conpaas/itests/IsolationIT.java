package org.conpaas.itests;

import static org.conpaas.itests.DirectorTestSupport.mapper;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.inject.Inject;
import org.conpaas.api.director.Director;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TestWatcher;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.util.Filter;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Isolation between users: alice owns an application with a running helloworld service; bob calls every endpoint
 * of the API (read from the live OpenAPI document, so a new endpoint is covered without touching this test) on
 * alice's objects and must get 404, exactly as for a missing object (403 only for administrator operations),
 * and alice's objects must be unchanged afterwards. An administrator reaches them; anonymous callers get 401.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class IsolationIT {
    private static final String ALICE = "alice";
    private static final String BOB = "bob";
    private static final String PASSWORD = "correct horse battery";
    /** Operations only administrators may call: for another user they answer 403 whether or not the target exists. */
    private static final Set<String> ADMIN_ONLY = Set.of("POST /users", "GET /users", "DELETE /users/{username}",
            "POST /users/{username}/credit");

    /** Injected so that the test starts once the director is up (Pax Exam waits for the service). */
    @Inject
    @Filter(timeout = 120_000)
    private Director director;

    @Before
    public void awaitDirectorReady() throws Exception {
        DirectorTestSupport.awaitReady(director);
    }

    @Rule
    public TestWatcher keepLog = DirectorTestSupport.keepLogOnFailure();

    @Configuration
    public Option[] config() {
        return DirectorTestSupport.distribution("isolation");
    }

    @Test
    public void noUserReachesAnotherUsersObjects() throws Exception {
        Path data = Paths.get(System.getProperty("karaf.data"));
        DirectorTestSupport.eventually("the first administrator exists", Duration.ofSeconds(90),
                () -> !DirectorTestSupport.adminPassword(data).isEmpty());
        Client admin = new Client("admin", DirectorTestSupport.adminPassword(data));
        DirectorTestSupport.eventually("REST API up", Duration.ofSeconds(90), () -> admin.call("GET", "/applications",
                null).status == 200);
        for (String user : List.of(ALICE, BOB)) {
            assertEquals(201, admin.call("POST", "/users", Map.of("username", user, "email", user + "@example.org",
                    "password", PASSWORD)).status);
        }
        Client alice = new Client(ALICE, PASSWORD);
        Client bob = new Client(BOB, PASSWORD);

        long app = alice.call("POST", "/applications", Map.of("name", "private")).ok().path("id").asLong();
        try {
            alice.call("POST", "/applications/" + app + "/start", null).ok();
            alice.call("POST", "/applications/" + app + "/services", Map.of("type", "helloworld")).ok();
            JsonNode started = alice.call("POST", "/applications/" + app + "/services/1/start?wait=120", Map.of()).ok();
            assertEquals(started.toString(), "RUNNING", started.path("state").asText());
            String node = alice.call("GET", "/applications/" + app + "/services/1/nodes", null).ok().get(0)
                    .path("id").asText();
            String before = snapshot(alice, app);

            List<String> leaks = new ArrayList<>();
            int walked = 0;
            JsonNode paths = mapper().readTree(get("/api/openapi.json")).path("paths");
            for (Iterator<String> it = paths.fieldNames(); it.hasNext();) {
                String template = it.next();
                if (!template.contains("{") || template.startsWith("/users/me")) {
                    continue; // lists and one's own account are checked below
                }
                String path = template.replace("{app}", String.valueOf(app)).replace("{svc}", "1")
                        .replace("{node}", node).replace("{username}", ALICE).replace("{file}", "agent.log")
                        .replace("{op}", "get_helloworld").replaceAll("\\{[^}]+}", "x");
                for (Iterator<String> methods = paths.path(template).fieldNames(); methods.hasNext();) {
                    String name = methods.next();
                    String method = name.toUpperCase();
                    JsonNode content = paths.path(template).path(name).path("requestBody").path("content");
                    Reply reply = content.has("multipart/form-data") ? bob.multipart(method, path)
                            : content.has("text/plain") ? bob.text(method, path, "echo taken over")
                            : bob.call(method, path, bodyFor(method, template));
                    walked++;
                    Set<Integer> allowed = ADMIN_ONLY.contains(method + " " + template) ? Set.of(403, 404) : Set.of(404);
                    if (!allowed.contains(reply.status)) {
                        leaks.add(method + " " + path + " -> " + reply);
                    }
                }
            }
            assertTrue("bob reached alice's objects:\n" + String.join("\n", leaks), leaks.isEmpty());
            assertTrue("the walk covered the API (" + walked + " calls)", walked >= 20);

            assertFalse(bob.call("GET", "/applications", null).body.contains("\"private\""));
            assertFalse(bob.call("GET", "/resources", null).body.contains(node + "\""));
            assertEquals(403, bob.call("GET", "/users", null).status);
            assertEquals("nothing of alice's changed", before, snapshot(alice, app));

            assertEquals(200, admin.call("GET", "/applications/" + app, null).status);
            assertEquals(401, new Client(BOB, "wrong password!").call("GET", "/applications", null).status);
            assertEquals(401, anonymous("/api/v1/applications"));

            alice.call("POST", "/applications/" + app + "/stop", null).ok();
            assertEquals(204, alice.call("DELETE", "/applications/" + app, null).status);
        } finally {
            // A failed assertion must not leave alice's agents running after the container is gone.
            DirectorTestSupport.killAll(DirectorTestSupport.agentProcesses(app).stream()
                    .map(ProcessHandle::pid).toList());
        }
    }

    /** What alice can see of her application: its state, its service and its nodes. */
    private static String snapshot(Client alice, long app) {
        JsonNode application = alice.call("GET", "/applications/" + app, null).ok();
        JsonNode service = alice.call("GET", "/applications/" + app + "/services/1", null).ok();
        JsonNode nodes = alice.call("GET", "/applications/" + app + "/services/1/nodes", null).ok();
        return application.path("name").asText() + " " + application.path("state").asText() + " "
                + service.path("name").asText() + " " + service.path("state").asText() + " " + nodes.size();
    }

    /** A body that is valid for each kind of call, so that only the ownership check can refuse it. */
    private static Object bodyFor(String method, String template) {
        if (method.equals("GET") || method.equals("DELETE")) {
            return null;
        }
        if (method.equals("PATCH")) {
            return Map.of("name", "taken-over");
        }
        if (template.endsWith("/nodes") || template.endsWith("/nodes/remove")) {
            return Map.of("roles", Map.of("node", 1));
        }
        if (template.endsWith("/services")) {
            return Map.of("type", "helloworld");
        }
        if (template.endsWith("/credit")) {
            return Map.of("delta", 1000);
        }
        if (template.endsWith("/volumes")) {
            return Map.of("name", "taken", "sizeMb", 10, "node", "node-1");
        }
        if (template.endsWith("/code/active")) {
            return Map.of("version", "code-000000");
        }
        return Map.of();
    }

    private static String base() {
        return "http://127.0.0.1:" + System.getProperty(DirectorTestSupport.HTTP_PORT_PROPERTY);
    }

    private static String get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base() + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static int anonymous(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base() + path)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** An HTTP answer. */
    private record Reply(int status, String body) {
        JsonNode ok() {
            assertTrue("expected success, got " + this, status >= 200 && status < 300);
            try {
                return mapper().readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    /** Calls /api/v1 as one user with HTTP Basic. */
    private static final class Client {
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private final String authorization;

        Client(String user, String password) {
            authorization = DirectorTestSupport.basic(user, password);
        }

        Reply call(String method, String path, Object body) {
            try {
                return send(method, path, body == null ? null : "application/json",
                        body == null ? null : mapper().writeValueAsBytes(body));
            } catch (IOException e) {
                throw new AssertionError(method + " " + path + " failed: " + e.getMessage(), e);
            }
        }

        Reply text(String method, String path, String body) {
            return send(method, path, "text/plain", body.getBytes(StandardCharsets.UTF_8));
        }

        /** A multipart form with a small archive-looking file and a description, as the upload endpoints take. */
        Reply multipart(String method, String path) {
            String boundary = "isolation-boundary";
            String form = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"description\"\r\n\r\ntaken over\r\n"
                    + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.zip\"\r\n"
                    + "Content-Type: application/octet-stream\r\n\r\nPK\r\n--" + boundary + "--\r\n";
            return send(method, path, "multipart/form-data; boundary=" + boundary,
                    form.getBytes(StandardCharsets.UTF_8));
        }

        private Reply send(String method, String path, String contentType, byte[] body) {
            try {
                HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body);
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + "/api/v1" + path))
                        .header("Authorization", authorization).header("Accept", "application/json, */*;q=0.5")
                        .timeout(Duration.ofSeconds(150)).method(method, publisher);
                if (contentType != null) {
                    request.header("Content-Type", contentType);
                }
                HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                return new Reply(r.statusCode(), r.body());
            } catch (IOException e) {
                throw new AssertionError(method + " " + path + " failed: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }
}
