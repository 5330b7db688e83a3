package org.conpaas.core.rest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The console's login: a password makes an HttpOnly, SameSite=Strict cookie session; calls with the cookie act as
 * its user; those that change something also need the session's X-CSRF-Token; logout ends it.
 */
public class SessionResourceTest {

    private FakeDirector director;
    private RestHarness rest;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    @Before
    public void start() throws Exception {
        director = new FakeDirector();
        rest = new RestHarness(director, "alice");
    }

    @After
    public void stop() throws Exception {
        rest.close();
    }

    private HttpResponse<String> send(String method, String path, String cookie, String csrf, String contentType,
            String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(rest.base.resolve(path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        if (csrf != null) {
            request.header("X-CSRF-Token", csrf);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private record Login(String cookie, String csrf) {
    }

    private Login login(String user, String password) throws Exception {
        HttpResponse<String> answer = send("POST", "/api/v1/session", null, null, "application/json",
                "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}");
        assertEquals(answer.body(), 201, answer.statusCode());
        String setCookie = answer.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(setCookie, setCookie.contains("HttpOnly"));
        assertTrue(setCookie, setCookie.contains("SameSite=Strict"));
        assertTrue(setCookie, setCookie.contains("Path=/api/v1"));
        JsonNode body = json.readTree(answer.body());
        assertEquals(user, body.get("username").asText());
        assertTrue(body.get("authenticated").asBoolean());
        String csrf = body.get("csrfToken").asText();
        assertFalse(setCookie.contains(csrf));
        return new Login(setCookie.substring(0, setCookie.indexOf(';')), csrf);
    }

    @Test
    public void aSessionActsAsItsUserAndChangesNeedTheCsrfToken() throws Exception {
        Login alice = login("alice", RestHarness.password("alice"));
        assertEquals(200, send("GET", "/api/v1/applications", alice.cookie(), null, null, null).statusCode());

        HttpResponse<String> forged = send("POST", "/api/v1/applications", alice.cookie(), null, "application/json",
                "{\"name\":\"forged\"}");
        assertEquals(forged.body(), 403, forged.statusCode());
        assertTrue(forged.body(), forged.body().contains(RestAuthentication.CSRF_REQUIRED));
        HttpResponse<String> wrong = send("POST", "/api/v1/applications", alice.cookie(), alice.csrf() + "x",
                "application/json", "{\"name\":\"forged\"}");
        assertEquals(403, wrong.statusCode());
        assertEquals("nothing was created by the forged calls", "[]",
                send("GET", "/api/v1/applications", alice.cookie(), null, null, null).body());

        HttpResponse<String> created = send("POST", "/api/v1/applications", alice.cookie(), alice.csrf(),
                "application/json", "{\"name\":\"shop\"}");
        assertEquals(created.body(), 201, created.statusCode());
        assertEquals("alice", json.readTree(created.body()).get("owner").asText());

        JsonNode me = json.readTree(send("GET", "/api/v1/session", alice.cookie(), null, null, null).body());
        assertTrue(me.get("authenticated").asBoolean());
        assertEquals(alice.csrf(), me.get("csrfToken").asText());
        assertFalse(me.get("admin").asBoolean());
    }

    @Test
    public void aDeletedUsersSessionsEnd() throws Exception {
        Login alice = login("alice", RestHarness.password("alice"));
        assertEquals(200, send("GET", "/api/v1/applications", alice.cookie(), null, null, null).statusCode());
        rest.accounts.delete("alice");
        HttpResponse<String> after = send("GET", "/api/v1/applications", alice.cookie(), null, null, null);
        assertEquals(401, after.statusCode());
        assertTrue(after.body(), after.body().contains(RestAuthentication.SESSION_EXPIRED));
    }

    @Test
    public void wrongPasswordsAndFormPostsAreRefused() throws Exception {
        HttpResponse<String> wrong = send("POST", "/api/v1/session", null, null, "application/json",
                "{\"username\":\"alice\",\"password\":\"nope\"}");
        assertEquals(401, wrong.statusCode());
        assertTrue(wrong.body().contains(RestAuthentication.INVALID_PASSWORD));
        assertTrue(wrong.headers().firstValue("Set-Cookie").isEmpty());
        // a cross-origin HTML form can only send form encodings: not a login
        HttpResponse<String> form = send("POST", "/api/v1/session", null, null,
                "application/x-www-form-urlencoded", "username=alice&password=alice-secret");
        assertEquals(415, form.statusCode());
        HttpResponse<String> missing = send("POST", "/api/v1/session", null, null, "application/json", "{}");
        assertEquals(400, missing.statusCode());
    }

    @Test
    public void afterLogoutTheCookieIsWorthNothing() throws Exception {
        Login alice = login("alice", RestHarness.password("alice"));
        HttpResponse<String> noToken = send("DELETE", "/api/v1/session", alice.cookie(), null, null, null);
        assertEquals("logging out is a change too", 403, noToken.statusCode());
        HttpResponse<String> out = send("DELETE", "/api/v1/session", alice.cookie(), alice.csrf(), null, null);
        assertEquals(204, out.statusCode());
        assertTrue(out.headers().firstValue("Set-Cookie").orElseThrow().contains("Max-Age=0"));
        HttpResponse<String> after = send("GET", "/api/v1/applications", alice.cookie(), null, null, null);
        assertEquals(401, after.statusCode());
        assertTrue(after.body(), after.body().contains(RestAuthentication.SESSION_EXPIRED));
        assertTrue("no Basic challenge for a browser session: no password dialog",
                after.headers().firstValue("WWW-Authenticate").isEmpty());
        JsonNode anonymous = json.readTree(send("GET", "/api/v1/session", alice.cookie(), null, null, null).body());
        assertFalse(anonymous.get("authenticated").asBoolean());
        assertFalse(anonymous.get("selfRegistration").asBoolean());
        assertTrue(anonymous.get("csrfToken").isNull());
        // logging out again, with an ended session, is fine
        assertEquals(204, send("DELETE", "/api/v1/session", alice.cookie(), null, null, null).statusCode());
    }

    @Test
    public void basicCallersStillGetTheirChallengeAndSessionsStayPerUser() throws Exception {
        HttpResponse<String> anonymous = send("GET", "/api/v1/applications", null, null, null, null);
        assertEquals(401, anonymous.statusCode());
        assertEquals(RestAuthentication.CHALLENGE, anonymous.headers().firstValue("WWW-Authenticate").orElse(""));
        Login root = login("root", RestHarness.password("root"));
        JsonNode me = json.readTree(send("GET", "/api/v1/session", root.cookie(), null, null, null).body());
        assertTrue(me.get("admin").asBoolean());
        assertTrue(director.users.isEmpty());
    }

    @Test
    public void metricsAreTextForAnyLoggedInUser() throws Exception {
        director.accounts.put("alice", new org.conpaas.api.model.UserInfo("alice", "alice@example.org", null, null,
                null, 50, java.util.Set.of("user"), java.time.Instant.now()));
        Login alice = login("alice", RestHarness.password("alice"));
        HttpResponse<String> metrics = send("GET", "/api/v1/metrics", alice.cookie(), null, null, null);
        assertEquals(metrics.body(), 200, metrics.statusCode());
        assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        assertTrue(metrics.body(), metrics.body().contains("# TYPE conpaas_node_cpu_seconds_total counter"));
        assertTrue(metrics.body(), metrics.body().contains("conpaas_nodes 0"));
        assertEquals(401, send("GET", "/api/v1/metrics", null, null, null, null).statusCode());
    }

}
