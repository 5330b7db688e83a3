package org.conpaas.core.rest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

import org.conpaas.core.rest.RestHarness.Reply;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

public class RestApiTest {

    private FakeDirector director;
    private RestHarness rest;

    @Before
    public void start() throws Exception {
        director = new FakeDirector();
        rest = new RestHarness(director, "alice");
    }

    @After
    public void stop() throws Exception {
        rest.close();
    }

    private static void assertProblem(Reply reply, int status, String title) throws Exception {
        assertEquals(reply.body(), status, reply.status());
        assertTrue(reply.contentType(), reply.contentType().startsWith("application/problem+json"));
        JsonNode problem = reply.json();
        assertEquals("about:blank", problem.get("type").asText());
        assertEquals(title, problem.get("title").asText());
        assertEquals(status, problem.get("status").asInt());
        assertTrue(problem.get("detail").asText().length() > 0);
    }

    private void createApp(String name) throws Exception {
        assertEquals(201, rest.post("/api/v1/applications", "{\"name\":\"" + name + "\"}").status());
    }

    private void addService() throws Exception {
        createApp("shop");
        assertEquals(201, rest.post("/api/v1/applications/shop/services", "{\"type\":\"helloworld\"}").status());
    }

    @Test
    public void systemEndpointsAnswerJson() throws Exception {
        Reply version = rest.get("/api/v1/version");
        assertEquals(200, version.status());
        assertTrue(version.contentType().startsWith("application/json"));
        assertEquals("0.1.0-test", version.json().get("version").asText());
        // an HTTP date (RFC 9110 IMF-fixdate), within a few seconds of now
        Instant date = ZonedDateTime.parse(version.raw().headers().firstValue("Date").orElseThrow(),
                DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        assertTrue(date.toString(), Math.abs(Duration.between(date, Instant.now()).toSeconds()) < 10);
        JsonNode types = rest.get("/api/v1/service-types").json();
        assertEquals("helloworld", types.get(0).get("name").asText());
        assertEquals("STRING", types.get(0).at("/operations/1/parameters/0/type").asText());
        assertEquals("local", rest.get("/api/v1/clouds").json().get(0).get("name").asText());
        assertEquals(0, rest.get("/api/v1/resources").json().size());
    }

    @Test
    public void createAnswers201WithLocationAndActsAsTheDefaultUser() throws Exception {
        Reply created = rest.post("/api/v1/applications", "{\"name\":\"shop\"}");
        assertEquals(201, created.status());
        assertEquals(rest.base.resolve("/api/v1/applications/1").toString(),
                created.raw().headers().firstValue("Location").orElse(""));
        JsonNode app = created.json();
        assertEquals("shop", app.get("name").asText());
        assertEquals("INIT", app.get("state").asText());
        assertEquals("2026-01-02T03:04:05Z", app.get("created").asText());
        assertEquals("alice", app.get("owner").asText());
        assertEquals(List.of("alice"), director.users.stream().distinct().toList());
        assertEquals("shop", rest.get("/api/v1/applications/1").json().get("name").asText());
        assertEquals(1, rest.get("/api/v1/applications").json().size());
    }

    @Test
    public void applicationLifecycle() throws Exception {
        createApp("shop");
        Reply renamed = rest.send("PATCH", "/api/v1/applications/shop", "application/json", "{\"name\":\"store\"}");
        assertEquals(200, renamed.status());
        assertEquals("store", renamed.json().get("name").asText());
        assertEquals("RUNNING", rest.post("/api/v1/applications/store/start", null).json().get("state").asText());
        assertEquals("STOPPED", rest.post("/api/v1/applications/1/stop", null).json().get("state").asText());
        assertEquals(204, rest.send("DELETE", "/api/v1/applications/store", null, null).status());
        assertProblem(rest.get("/api/v1/applications/store"), 404, "Not Found");
    }

    @Test
    public void domainErrorsBecomeProblems() throws Exception {
        createApp("shop");
        assertProblem(rest.post("/api/v1/applications", "{\"name\":\"shop\"}"), 409, "Conflict");
        rest.post("/api/v1/applications/shop/start", null);
        Reply wrongState = rest.post("/api/v1/applications/shop/start", null);
        assertProblem(wrongState, 409, "Conflict");
        assertEquals("RUNNING", wrongState.json().get("currentState").asText());
        assertEquals("[\"INIT\",\"STOPPED\"]", wrongState.json().get("allowedStates").toString());
        Reply missingName = rest.post("/api/v1/applications", "{}");
        assertProblem(missingName, 400, "Bad Request");
        assertEquals("name", missingName.json().get("parameter").asText());
        Reply notInstalled = rest.post("/api/v1/applications/shop/services", "{\"type\":\"flink\"}");
        assertProblem(notInstalled, 409, "Conflict");
        assertEquals("flink", notInstalled.json().get("serviceType").asText());
    }

    @Test
    public void badBodiesAre400NamingTheField() throws Exception {
        Reply malformed = rest.post("/api/v1/applications", "{\"name\": ");
        assertProblem(malformed, 400, "Bad Request");
        assertTrue(malformed.body(), malformed.json().get("detail").asText().startsWith("malformed JSON: "));
        Reply unknown = rest.post("/api/v1/applications", "{\"name\":\"a\",\"colour\":\"red\"}");
        assertProblem(unknown, 400, "Bad Request");
        assertEquals("colour", unknown.json().get("parameter").asText());
        Reply wrongType = rest.post("/api/v1/applications", "{\"name\":5}");
        assertProblem(wrongType, 400, "Bad Request");
        assertEquals("name", wrongType.json().get("parameter").asText());
        addServiceAndStart();
        Reply roleType = rest.post("/api/v1/applications/shop/services/1/nodes", "{\"roles\":{\"backend\":\"two\"}}");
        assertProblem(roleType, 400, "Bad Request");
        assertEquals("roles.backend", roleType.json().get("parameter").asText());
    }

    @Test
    public void volumesAreListedCreatedAndDeletedAsLongOperations() throws Exception {
        addServiceAndStart();
        String volumes = "/api/v1/applications/shop/services/1/volumes";
        assertEquals(0, rest.get(volumes).json().size());
        Reply missingSize = rest.post(volumes, "{\"name\":\"data\",\"node\":\"node-1\"}");
        assertProblem(missingSize, 400, "Bad Request");
        assertEquals("sizeMb", missingSize.json().get("parameter").asText());
        assertEquals(202, rest.post(volumes, "{\"name\":\"data\",\"sizeMb\":64,\"node\":\"node-1\"}").status());
        assertProblem(rest.post(volumes, "{\"name\":\"data\",\"sizeMb\":64,\"node\":\"node-1\"}"), 409,
                "Conflict");
        JsonNode listed = rest.get(volumes).json().get(0);
        assertEquals(List.of("data", "64", "node-1", "/media/data"), List.of(listed.get("name").asText(),
                listed.get("sizeMb").asText(), listed.get("node").asText(), listed.get("path").asText()));
        assertEquals(202, rest.send("DELETE", volumes + "/data", null, null).status());
        assertProblem(rest.send("DELETE", volumes + "/data", null, null), 404, "Not Found");
        assertEquals(0, rest.get(volumes).json().size());
    }

    @Test
    public void wrongContentTypeIs415AndUnknownPathIs404() throws Exception {
        assertProblem(rest.send("POST", "/api/v1/applications", "text/plain", "name=shop"), 415,
                "Unsupported Media Type");
        assertProblem(rest.get("/api/v1/no-such-thing"), 404, "Not Found");
        assertProblem(rest.get("/api/v1/applications/1/services/2/nodes/3/extra/deep"), 404, "Not Found");
        assertProblem(rest.send("PUT", "/api/v1/version", "application/json", "{}"), 405, "Method Not Allowed");
    }

    private void addServiceAndStart() throws Exception {
        addService();
        rest.post("/api/v1/applications/shop/services/1/start?wait=5", null);
    }

    @Test
    public void nodesAreRemovedByIdOrByCountsNotBoth() throws Exception {
        addService();
        assertEquals(200, rest.post("/api/v1/applications/shop/services/1/start?wait=60", null).status());
        String remove = "/api/v1/applications/shop/services/1/nodes/remove";
        assertProblem(rest.post(remove, "{\"roles\":{\"backend\":1},\"nodes\":[\"n1\"]}"), 400, "Bad Request");
        assertProblem(rest.post(remove, "{\"nodes\":[\"n9\"]}"), 404, "Not Found");
        assertProblem(rest.post(remove, "{}"), 400, "Bad Request");
        Reply removing = rest.post(remove, "{\"nodes\":[\"n1\"]}");
        assertEquals(removing.body(), 202, removing.status());
        assertEquals("ADAPTING", removing.json().get("state").asText());
        assertEquals(0, removing.json().at("/nodes/backend").asInt());
    }

    @Test
    public void longOperationsAnswer202OrWaitFor200() throws Exception {
        addService();
        Reply accepted = rest.send("POST", "/api/v1/applications/shop/services/1/start", null, null);
        assertEquals(accepted.body(), 202, accepted.status());
        assertEquals("PROLOGUE", accepted.json().get("state").asText());
        Reply stopWhileStarting = rest.post("/api/v1/applications/shop/services/1/stop", null);
        assertProblem(stopWhileStarting, 409, "Conflict");
        assertEquals("PROLOGUE", stopWhileStarting.json().get("currentState").asText());

        assertEquals("PROLOGUE", rest.get("/api/v1/applications/shop/services/1").json().get("state").asText());
        assertEquals("RUNNING", rest.get("/api/v1/applications/shop/services/1").json().get("state").asText());
        // a size out of bounds is refused before anything else
        Reply tooSmall = rest.post("/api/v1/applications/shop/services/1/nodes",
                "{\"roles\":{\"backend\":1},\"memoryMb\":16}");
        assertProblem(tooSmall, 400, "Bad Request");
        assertTrue(tooSmall.body(), tooSmall.json().get("detail").asText().contains("memoryMb must be from 64"));
        Reply adding = rest.post("/api/v1/applications/shop/services/1/nodes?wait=60",
                "{\"roles\":{\"backend\":2},\"cloud\":\"local\"}");
        assertEquals(200, adding.status());
        assertEquals("RUNNING", adding.json().get("state").asText());
        assertEquals(3, adding.json().at("/nodes/backend").asInt());
        Reply removing = rest.post("/api/v1/applications/shop/services/1/nodes/remove",
                "{\"roles\":{\"backend\":1}}");
        assertEquals(202, removing.status());
        assertEquals("ADAPTING", removing.json().get("state").asText());
        Reply notYet = rest.post("/api/v1/applications/shop/services/1/stop?wait=0", null);
        assertProblem(notYet, 409, "Conflict");
        assertEquals("ADAPTING", notYet.json().get("currentState").asText());
        rest.get("/api/v1/applications/shop/services/1");
        rest.get("/api/v1/applications/shop/services/1");
        Reply stopped = rest.post("/api/v1/applications/shop/services/1/stop?wait=10", null);
        assertEquals(200, stopped.status());
        assertEquals("STOPPED", stopped.json().get("state").asText());
        assertEquals("{}", stopped.json().get("nodes").toString());
    }

    @Test
    public void waitIsValidatedBeforeAnythingStarts() throws Exception {
        addService();
        Reply notNumber = rest.post("/api/v1/applications/shop/services/1/start?wait=soon", "{}");
        assertProblem(notNumber, 400, "Bad Request");
        assertEquals("wait", notNumber.json().get("parameter").asText());
        assertProblem(rest.post("/api/v1/applications/shop/services/1/start?wait=3601", "{}"), 400, "Bad Request");
        assertEquals("INIT", rest.get("/api/v1/applications/shop/services/1").json().get("state").asText());
        Reply settled = rest.post("/api/v1/applications/shop/services/1/start?wait=3600", "{\"cloud\":\"local\"}");
        assertEquals(200, settled.status());
        assertEquals("RUNNING", settled.json().get("state").asText());
        Reply stopping = rest.post("/api/v1/applications/shop/services/1/stop?wait=30", null);
        assertEquals(200, stopping.status());
        assertEquals("STOPPED", stopping.json().get("state").asText());
    }

    @Test
    public void cloudAndAgentFailuresAre502() throws Exception {
        addService();
        assertProblem(rest.post("/api/v1/applications/shop/services/1/start", "{\"cloud\":\"broken-cloud\"}"), 502,
                "Bad Gateway");
        rest.post("/api/v1/applications/shop/services/1/start?wait=5", "{}");
        Reply agent = rest.get("/api/v1/applications/shop/services/1/nodes/n1/logs/unreachable.log");
        assertProblem(agent, 502, "Bad Gateway");
        assertEquals("n1", agent.json().get("node").asText());
    }

    @Test
    public void servicesNodesHistoryAndLogs() throws Exception {
        addService();
        Reply service = rest.get("/api/v1/applications/shop/services/New%20helloworld%20service");
        assertEquals(200, service.status());
        assertEquals(1, service.json().get("id").asInt());
        assertEquals(200, rest.send("PATCH", "/api/v1/applications/shop/services/1", "application/json",
                "{\"name\":\"greeter\"}").status());
        assertTrue(service.json().get("replaceFailedNodes").asBoolean());
        Reply setting = rest.send("PATCH", "/api/v1/applications/shop/services/greeter", "application/json",
                "{\"replaceFailedNodes\":false}");
        assertEquals(200, setting.status());
        assertFalse(setting.json().get("replaceFailedNodes").asBoolean());
        assertEquals("greeter", setting.json().get("name").asText());
        assertProblem(rest.send("PATCH", "/api/v1/applications/shop/services/1", "application/json", "{}"), 400,
                "Bad Request");
        assertProblem(rest.send("PATCH", "/api/v1/applications/shop/services/1", "application/json",
                "{\"replaceFailedNodes\":\"maybe\"}"), 400, "Bad Request");
        rest.post("/api/v1/applications/shop/services/greeter/start?wait=5", null);
        JsonNode nodes = rest.get("/api/v1/applications/shop/services/greeter/nodes").json();
        assertEquals("n1", nodes.get(0).get("id").asText());
        assertEquals("RUNNING", rest.get("/api/v1/applications/shop/services/1/nodes/n1").json().get("status").asText());
        assertEquals(1, rest.get("/api/v1/resources").json().size());
        Reply log = rest.get("/api/v1/applications/shop/services/1/nodes/n1/logs/nginx.log?tail=2");
        assertEquals(200, log.status());
        assertTrue(log.contentType().startsWith("text/plain"));
        assertEquals("line 2\nline 3\n", log.body());
        assertEquals("log agent\nline 2\nline 3\n",
                rest.get("/api/v1/applications/shop/services/1/nodes/n1/logs").body());
        assertEquals("service running\n", rest.get("/api/v1/applications/shop/services/1/log?tail=1").body());
        assertProblem(rest.get("/api/v1/applications/shop/services/1/log?tail=-1"), 400, "Bad Request");
        JsonNode history = rest.get("/api/v1/applications/shop/services/1/history").json();
        assertEquals("INIT", history.get(0).get("state").asText());
        assertEquals("2026-01-02T03:04:05Z", history.get(0).get("time").asText());
        assertEquals("RUNNING", history.get(history.size() - 1).get("state").asText());
        assertEquals(204, rest.send("DELETE", "/api/v1/applications/shop/services/1", null, null).status());
        assertEquals(0, rest.get("/api/v1/applications/shop/services").json().size());
    }

    @Test
    public void operationsWithJson() throws Exception {
        addService();
        JsonNode ops = rest.get("/api/v1/applications/shop/services/1/operations").json();
        assertEquals(3, ops.size());
        Reply hello = rest.post("/api/v1/applications/shop/services/1/operations/get-message", "{}");
        assertEquals(200, hello.status());
        assertEquals("\"hello\"", hello.body());
        Reply set = rest.post("/api/v1/applications/shop/services/1/operations/set-message",
                "{\"message\":\"hi\",\"repeat\":3}");
        assertEquals(200, set.status());
        assertTrue(set.json().get("stored").asBoolean());
        assertEquals(Long.class, director.receivedParams.get(1).get("repeat").getClass());
        Reply missing = rest.post("/api/v1/applications/shop/services/1/operations/set-message", "{}");
        assertProblem(missing, 400, "Bad Request");
        assertEquals("message", missing.json().get("parameter").asText());
        assertProblem(rest.post("/api/v1/applications/shop/services/1/operations/nope", "{}"), 404, "Not Found");
        Reply crash = rest.post("/api/v1/applications/shop/services/1/operations/fail", "{}");
        assertProblem(crash, 500, "Internal Server Error");
        assertFalse(crash.body().contains("secret"));
    }

    @Test
    public void operationsWithFilesTakeMultipartAndDeleteTheTempFiles() throws Exception {
        addService();
        String boundary = "----conpaas-test-boundary";
        String body = "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"note\"\r\n\r\n"
                + "first upload\r\n"
                + "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"site.zip\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n"
                + "PK-pretend-archive\r\n"
                + "--" + boundary + "--\r\n";
        Reply reply = rest.send("POST", "/api/v1/applications/shop/services/1/operations/upload",
                "multipart/form-data; boundary=" + boundary, body);
        assertEquals(reply.body(), 200, reply.status());
        JsonNode result = reply.json();
        assertEquals("site.zip", result.get("fileName").asText());
        assertEquals("PK-pretend-archive", result.get("content").asText());
        assertEquals("first upload", result.get("note").asText());
        assertEquals(1, director.receivedFiles.size());
        assertFalse("the temporary upload must be deleted after the call",
                Files.exists(director.receivedFiles.get(0).path()));

        String badInteger = "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"message\"\r\n\r\nhi\r\n"
                + "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"repeat\"\r\n\r\nmany\r\n"
                + "--" + boundary + "--\r\n";
        Reply bad = rest.send("POST", "/api/v1/applications/shop/services/1/operations/set-message",
                "multipart/form-data; boundary=" + boundary, badInteger);
        assertProblem(bad, 400, "Bad Request");
        assertEquals("repeat", bad.json().get("parameter").asText());
    }

    @Test
    public void openApiDocumentListsThePaths() throws Exception {
        Reply doc = rest.get("/api/openapi.json");
        assertEquals(200, doc.status());
        assertTrue(doc.contentType().startsWith("application/json"));
        JsonNode root = doc.json();
        assertEquals("3.0.3", root.get("openapi").asText());
        assertEquals("/api/v1", root.at("/servers/0/url").asText());
        JsonNode paths = root.get("paths");
        for (String path : List.of("/version", "/service-types", "/clouds", "/resources", "/applications",
                "/applications/{app}", "/applications/{app}/start", "/applications/{app}/stop",
                "/applications/{app}/services", "/applications/{app}/services/{svc}",
                "/applications/{app}/services/{svc}/start", "/applications/{app}/services/{svc}/stop",
                "/applications/{app}/services/{svc}/nodes", "/applications/{app}/services/{svc}/nodes/remove",
                "/applications/{app}/services/{svc}/nodes/{node}",
                "/applications/{app}/services/{svc}/nodes/{node}/logs/{file}",
                "/applications/{app}/services/{svc}/history", "/applications/{app}/services/{svc}/log",
                "/applications/{app}/services/{svc}/operations",
                "/applications/{app}/services/{svc}/operations/{op}")) {
            assertTrue("missing " + path, paths.has(path));
        }
        JsonNode app = paths.get("/applications/{app}");
        assertTrue(app.has("get") && app.has("patch") && app.has("delete"));
        assertEquals("201", paths.at("/~1applications/post/responses").fieldNames().next());
        JsonNode call = paths.at("/~1applications~1{app}~1services~1{svc}~1operations~1{op}/post");
        assertTrue(call.at("/requestBody/content").has("application/json"));
        assertTrue(call.at("/requestBody/content").has("multipart/form-data"));
        JsonNode start = paths.at("/~1applications~1{app}~1services~1{svc}~1start/post");
        assertTrue(start.at("/responses").has("202"));
        assertEquals("#/components/schemas/ServiceInfo", start.at("/responses/202/content/application~1json/schema/$ref").asText());
        assertEquals("wait", start.at("/parameters/2/name").asText());
        assertEquals("integer", start.at("/parameters/2/schema/type").asText());
        assertEquals("date-time", root.at("/components/schemas/ApplicationInfo/properties/created/format").asText());
        assertEquals("text/plain", paths.at("/~1applications~1{app}~1services~1{svc}~1log/get/responses/200/content")
                .fieldNames().next());
    }

    @Test
    public void requestsNoEndpointTakesAnswer503WhileTheApiIsNotPublishedAnd404After() throws Exception {
        rest.apiPublished.set(false);
        Reply starting = rest.get("/api/v2/anything");
        assertProblem(starting, 503, "Service Unavailable");
        assertEquals("1", starting.raw().headers().firstValue("Retry-After").orElse(""));
        assertProblem(rest.send("POST", "/api/other", "application/json", "{}"), 503, "Service Unavailable");

        rest.apiPublished.set(true);
        assertProblem(rest.get("/api/v2/anything"), 404, "Not Found");
        assertEquals("the API's own endpoints keep their requests", 200, rest.get("/api/v1/version").status());
        assertEquals(200, rest.get("/api/openapi.json").status());
    }
}
