package org.conpaas.core.rest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.conpaas.core.rest.RestHarness.Reply;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

public class UsersResourceTest {

    private static final String BOB = "{\"username\":\"bob\",\"email\":\"bob@example.org\","
            + "\"password\":\"correct horse battery\",\"firstName\":\"Bob\",\"credit\":20}";

    private FakeDirector director;
    private RestHarness rest;

    @Before
    public void start() throws Exception {
        director = new FakeDirector();
        rest = new RestHarness(director, "admin");
    }

    @After
    public void stop() throws Exception {
        rest.close();
    }

    private static void assertProblem(Reply reply, int status, String parameter) throws Exception {
        assertEquals(reply.body(), status, reply.status());
        assertTrue(reply.contentType(), reply.contentType().startsWith("application/problem+json"));
        if (parameter != null) {
            assertEquals(parameter, reply.json().get("parameter").asText());
        }
    }

    private static void assertNoSecrets(Reply reply) {
        assertFalse(reply.body(), reply.body().toLowerCase().contains("password"));
        assertFalse(reply.body(), reply.body().contains("correct horse"));
    }

    @Test
    public void createAnswers201WithLocationAndNoPassword() throws Exception {
        Reply created = rest.post("/api/v1/users", BOB);
        assertEquals(created.body(), 201, created.status());
        assertEquals(rest.base.resolve("/api/v1/users/bob").toString(),
                created.raw().headers().firstValue("Location").orElse(""));
        JsonNode bob = created.json();
        assertEquals("bob", bob.get("username").asText());
        assertEquals("Bob", bob.get("firstName").asText());
        assertEquals(20, bob.get("credit").asLong());
        assertEquals("[\"user\"]", bob.get("roles").toString());
        assertNoSecrets(created);
        assertEquals("bob@example.org", rest.get("/api/v1/users/bob").json().get("email").asText());
        Reply list = rest.get("/api/v1/users");
        assertEquals(List.of("admin", "bob"), List.of(list.json().get(0).get("username").asText(),
                list.json().get(1).get("username").asText()));
        assertNoSecrets(list);
        assertProblem(rest.post("/api/v1/users", BOB), 409, null);
    }

    @Test
    public void registrationIsPublicAndPointsAtTheNewUser() throws Exception {
        Reply registered = rest.post("/api/v1/users/register", BOB);
        assertEquals(registered.body(), 201, registered.status());
        assertEquals(rest.base.resolve("/api/v1/users/bob").toString(),
                registered.raw().headers().firstValue("Location").orElse(""));
        assertNoSecrets(registered);
    }

    @Test
    public void meIsTheCaller() throws Exception {
        Reply me = rest.get("/api/v1/users/me");
        assertEquals(200, me.status());
        assertEquals("admin", me.json().get("username").asText());
        assertTrue(me.json().get("created").asText().startsWith("1970-01-01T00:00:00"));
        assertNoSecrets(me);
    }

    @Test
    public void creditTakesADeltaAndShowsInTheLedger() throws Exception {
        rest.post("/api/v1/users", BOB);
        Reply added = rest.post("/api/v1/users/bob/credit", "{\"delta\":5}");
        assertEquals(added.body(), 200, added.status());
        assertEquals(25, added.json().get("credit").asLong());
        assertEquals(22, rest.post("/api/v1/users/bob/credit", "{\"delta\":-3}").json().get("credit").asLong());
        assertProblem(rest.post("/api/v1/users/bob/credit", "{}"), 400, "delta");
        assertProblem(rest.post("/api/v1/users/bob/credit", "{\"delta\":\"lots\"}"), 400, "delta");
        assertProblem(rest.post("/api/v1/users/bob/credit", "{\"amount\":1}"), 400, "amount");
        JsonNode ledger = rest.get("/api/v1/users/bob/charges").json();
        assertEquals(2, ledger.size());
        assertEquals(-3, ledger.get(0).get("amount").asLong());
        assertEquals(22, ledger.get(0).get("balance").asLong());
        assertEquals(200, rest.get("/api/v1/users/me/charges").status());
    }

    @Test
    public void passwordChangeIs204AndNeedsBothFields() throws Exception {
        Reply changed = rest.send("PUT", "/api/v1/users/me/password", "application/json",
                "{\"oldPassword\":\"old password 1\",\"newPassword\":\"new password 12\"}");
        assertEquals(changed.body(), 204, changed.status());
        assertEquals("", changed.body());
        assertProblem(rest.send("PUT", "/api/v1/users/me/password", "application/json",
                "{\"oldPassword\":\"old password 1\"}"), 400, "newPassword");
        assertProblem(rest.send("PUT", "/api/v1/users/me/password", "application/json",
                "{\"newPassword\":\"new password 12\"}"), 400, "oldPassword");
    }

    @Test
    public void deleteIs204AndTheUserIsGone() throws Exception {
        rest.post("/api/v1/users", BOB);
        assertEquals(204, rest.send("DELETE", "/api/v1/users/bob", null, null).status());
        assertProblem(rest.get("/api/v1/users/bob"), 404, null);
        assertProblem(rest.send("DELETE", "/api/v1/users/bob", null, null), 404, null);
    }

    @Test
    public void malformedBodiesAre400() throws Exception {
        assertProblem(rest.post("/api/v1/users", "{\"username\":\"bob\",\"colour\":\"red\"}"), 400, "colour");
        assertProblem(rest.post("/api/v1/users", "{\"username\": "), 400, null);
    }

    @Test
    public void theOpenApiDocumentListsTheUserEndpoints() throws Exception {
        JsonNode paths = rest.get("/api/openapi.json").json().get("paths");
        for (String path : List.of("/users", "/users/register", "/users/me", "/users/{username}",
                "/users/{username}/credit", "/users/me/password", "/users/me/charges", "/users/{username}/charges")) {
            assertTrue("missing " + path, paths.has(path));
        }
        assertTrue(paths.at("/~1users~1me~1password").has("put"));
        assertTrue(paths.at("/~1users~1{username}").has("delete"));
        assertEquals("201", paths.at("/~1users/post/responses").fieldNames().next());
    }
}
