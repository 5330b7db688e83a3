package org.conpaas.core.rest;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.conpaas.api.State;
import org.conpaas.api.model.CodeVersionInfo;
import org.conpaas.api.model.ServiceInfo;
import org.conpaas.api.model.UploadedFile;
import org.conpaas.service.support.archive.ArchiveLimits;
import org.conpaas.core.internal.code.CodeVersionStore;
import org.conpaas.core.internal.persistence.TestDatabase;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The code and startup-script adapters over HTTP, with the real code store behind a fake director. */
public class CodeResourceTest {

    private static final String CODE = "/api/v1/applications/1/services/1/code";

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private TestDatabase db;
    private CodeDirector director;
    private RestHarness rest;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** Code calls go to a real {@link CodeVersionStore} for service 1; activation adapts when nodes run. */
    static final class CodeDirector extends FakeDirector {
        CodeVersionStore code;
        volatile boolean hasNodes;

        @Override
        public CodeVersionInfo uploadCode(String user, String app, String svc, UploadedFile archive, String d) {
            return code.upload(1, archive, d);
        }

        /** Service 1 of application 1 exists (alice's); nothing else does. */
        @Override
        public ServiceInfo service(String user, String app, String svc) {
            if (!"alice".equals(user) || !"1".equals(app) || !"1".equals(svc)) {
                throw new org.conpaas.api.NotFoundException("service " + svc + " not found");
            }
            return new ServiceInfo(1, 1, "svc", "echo", State.INIT, null, true, null, Instant.EPOCH, Map.of(), null);
        }

        @Override
        public List<CodeVersionInfo> codeVersions(String user, String app, String svc) {
            return code.list(1);
        }

        @Override
        public UploadedFile downloadCode(String user, String app, String svc, String version) {
            return code.download(1, version);
        }

        @Override
        public void deleteCode(String user, String app, String svc, String version) {
            code.delete(1, version);
        }

        @Override
        public ServiceInfo activateCode(String user, String app, String svc, String version) {
            code.activate(1, version);
            return new ServiceInfo(1, 1, "svc", "echo", hasNodes ? State.ADAPTING : State.INIT, null, true, null,
                    Instant.EPOCH, Map.of(), null);
        }
    }

    @Before
    public void start() throws Exception {
        db = new TestDatabase(temp.newFolder("db").toPath());
        director = new CodeDirector();
        director.code = new CodeVersionStore(db, temp.getRoot().toPath().resolve("code"),
                ArchiveLimits.ofMegabytes(1, 1, 100), java.time.Clock.systemUTC());
        rest = new RestHarness(director, "alice");
    }

    @After
    public void stop() throws Exception {
        try {
            rest.close();
        } finally {
            db.close();
        }
    }

    @Test
    public void uploadListDownloadActivateAndDelete() throws Exception {
        byte[] zip = zip("run.sh", "echo run");
        HttpResponse<byte[]> created = upload("my app.zip", zip, "first");
        assertEquals(new String(created.body(), StandardCharsets.UTF_8), 201, created.statusCode());
        JsonNode version = json(created.body());
        String id = version.get("id").asText();
        assertTrue(id, id.matches("code-[a-z0-9]{6}"));
        assertTrue(created.headers().firstValue("Location").orElse("").endsWith(CODE + "/" + id));
        assertEquals("first", version.get("description").asText());

        JsonNode list = json(send("GET", CODE, null, null).body());
        assertEquals(1, list.size());
        assertEquals(id, list.get(0).get("id").asText());

        HttpResponse<byte[]> download = send("GET", CODE + "/" + id, null, null);
        assertEquals(200, download.statusCode());
        assertArrayEquals(zip, download.body());
        String disposition = download.headers().firstValue("Content-Disposition").orElse("");
        assertTrue(disposition, disposition.startsWith("attachment; filename=\"my app.zip\""));

        HttpResponse<byte[]> active = send("PUT", CODE + "/active", "application/json",
                "{\"version\":\"" + id + "\"}");
        assertEquals(200, active.statusCode());
        assertTrue(json(send("GET", CODE, null, null).body()).get(0).get("active").asBoolean());

        HttpResponse<byte[]> refused = send("DELETE", CODE + "/" + id, null, null);
        assertEquals(409, refused.statusCode());
        assertEquals("code version " + id + " is active; activate another one first",
                json(refused.body()).get("detail").asText());

        String other = json(upload("b.zip", zip("b", "x"), null).body()).get("id").asText();
        director.hasNodes = true;
        HttpResponse<byte[]> adapting = send("PUT", CODE + "/active", "application/json",
                "{\"version\":\"" + other + "\"}");
        assertEquals(202, adapting.statusCode());
        assertEquals("ADAPTING", json(adapting.body()).get("state").asText());
        assertEquals(204, send("DELETE", CODE + "/" + id, null, null).statusCode());
        assertEquals(404, send("GET", CODE + "/" + id, null, null).statusCode());
    }

    @Test
    public void refusedArchivesAreProblemsNamingTheFile() throws Exception {
        HttpResponse<byte[]> notArchive = upload("x.zip", "just text".getBytes(StandardCharsets.UTF_8), null);
        JsonNode problem = json(notArchive.body());
        assertEquals("file", problem.get("parameter").asText());
        assertTrue(problem.toString(), problem.get("detail").asText().startsWith("unsupported archive"));
        assertEquals(415, notArchive.statusCode());

        HttpResponse<byte[]> slip = upload("x.zip", zip("../evil", "x"), null);
        assertEquals(400, slip.statusCode());
        assertTrue(json(slip.body()).get("detail").asText().contains("'../evil'"));
        assertEquals(0, json(send("GET", CODE, null, null).body()).size());
    }

    @Test
    public void aMissingFilePartAndAMissingVersionAre400() throws Exception {
        assertEquals(400, send("PUT", CODE + "/active", "application/json", "{}").statusCode());
        String boundary = "b0undary";
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"description\"\r\n\r\nd\r\n--"
                + boundary + "--\r\n";
        HttpResponse<byte[]> reply = send("POST", CODE, "multipart/form-data; boundary=" + boundary, body);
        assertEquals(400, reply.statusCode());
        assertEquals("file", json(reply.body()).get("parameter").asText());
    }

    @Test
    public void startupScriptIsTextThat404sWhenMissing() throws Exception {
        director.createApplication("alice", "app");
        director.addService("alice", "1", "helloworld", "svc");
        String path = "/api/v1/applications/1/services/1/startup-script";
        HttpResponse<byte[]> none = send("GET", path, null, null);
        assertEquals(404, none.statusCode());
        assertTrue(none.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        assertEquals(204, send("PUT", path, "text/plain", "#!/bin/sh\necho hi\n").statusCode());
        HttpResponse<byte[]> script = send("GET", path, null, null);
        assertEquals(200, script.statusCode());
        assertEquals("#!/bin/sh\necho hi\n", new String(script.body(), StandardCharsets.UTF_8));
        assertEquals(404, send("GET", "/api/v1/applications/1/services/2/startup-script", null, null).statusCode());
    }

    private HttpResponse<byte[]> upload(String fileName, byte[] content, String description) throws Exception {
        String boundary = "c0debound4ry";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (description != null) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"description\"\r\n\r\n"
                    + description + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                + fileName + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return send("POST", CODE, "multipart/form-data; boundary=" + boundary, body.toByteArray());
    }

    private HttpResponse<byte[]> send(String method, String path, String type, Object body) throws Exception {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : body instanceof byte[] bytes ? HttpRequest.BodyPublishers.ofByteArray(bytes)
                : HttpRequest.BodyPublishers.ofString((String) body);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(rest.base + path))
                .timeout(Duration.ofSeconds(10)).method(method, publisher)
                .header("Authorization", RestHarness.basic("alice", RestHarness.password("alice")));
        if (type != null) {
            request.header("Content-Type", type);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static JsonNode json(byte[] body) throws Exception {
        return new ObjectMapper().readTree(body);
    }

    private static byte[] zip(String name, String text) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry(name));
            zip.write(text.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return out.toByteArray();
    }
}
