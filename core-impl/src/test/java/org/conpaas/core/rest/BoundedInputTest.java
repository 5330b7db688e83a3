package org.conpaas.core.rest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Bounded input at the HTTP edge: multipart bodies are checked before they are read and counted while they stream,
 * and malformed URIs and headers answer problem+json, never an HTML page or a 500.
 */
public class BoundedInputTest {

    private static final long MB = 1024 * 1024;
    private static final String BOUNDARY = "b0und4ry";

    private FakeDirector director;
    private RestHarness rest;

    @Before
    public void start() throws Exception {
        director = new FakeDirector();
        rest = new RestHarness(director, "alice", 1 * MB); // uploads of at most 1 MB
        director.createApplication("alice", "shop");
        director.startApplication("alice", "shop");
        director.addService("alice", "shop", "helloworld", "svc");
    }

    @After
    public void stop() throws Exception {
        rest.close();
    }

    @Test
    public void aBigMultipartBodyForAMissingServiceIs404BeforeItIsRead() throws Exception {
        for (String path : new String[] {"/api/v1/applications/shop/services/9/code",
                "/api/v1/applications/nope/services/1/operations/upload",
                "/api/v1/applications/shop/services/1/operations/no-such-op"}) {
            RawHttp.Answer answer = post(path, filePart("upload", "big.zip"), 200 * MB);
            assertProblem(answer, 404);
            assertTrue(path + ": answered after " + answer.bodyBytesSentBeforeAnswer() + " bytes",
                    answer.bodyBytesSentBeforeAnswer() < 40 * MB);
        }
    }

    @Test
    public void anUploadPastTheLimitIs413AsSoonAsItPassesIt() throws Exception {
        RawHttp.Answer code = post("/api/v1/applications/shop/services/1/code", filePart("file", "big.zip"),
                100 * MB);
        assertProblem(code, 413);
        assertTrue(code.body(), code.body().contains("larger than 1 MB"));
        assertTrue("answered after " + code.bodyBytesSentBeforeAnswer() + " bytes",
                code.bodyBytesSentBeforeAnswer() < 30 * MB);

        RawHttp.Answer operation = post("/api/v1/applications/shop/services/1/operations/upload",
                filePart("file", "big.zip"), 100 * MB);
        assertProblem(operation, 413);
        assertTrue(director.receivedFiles.isEmpty());
    }

    @Test
    public void fileAndTextPartsAreOnlyTakenWhereTheOperationHasThem() throws Exception {
        String message = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"message\"; "
                + "filename=\"m.txt\"\r\n\r\nhello\r\n--" + BOUNDARY + "--\r\n";
        RawHttp.Answer fileForText = post("/api/v1/applications/shop/services/1/operations/set-message",
                message.getBytes(StandardCharsets.UTF_8), message.length());
        assertProblem(fileForText, 400);
        assertTrue(fileForText.body(), fileForText.body().contains("operation set-message takes no file 'message'"));

        String unknownFile = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"other\"; "
                + "filename=\"o.bin\"\r\n\r\nx\r\n--" + BOUNDARY + "--\r\n";
        RawHttp.Answer other = post("/api/v1/applications/shop/services/1/code",
                unknownFile.getBytes(StandardCharsets.UTF_8), unknownFile.length());
        assertProblem(other, 400);
        assertTrue(other.body(), other.body().contains("a code upload takes no file 'other'"));

        String longText = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"message\"\r\n\r\n"
                + "x".repeat(MultipartUploads.MAX_TEXT_BYTES + 1) + "\r\n--" + BOUNDARY + "--\r\n";
        RawHttp.Answer tooLong = post("/api/v1/applications/shop/services/1/operations/set-message",
                longText.getBytes(StandardCharsets.UTF_8), longText.length());
        assertProblem(tooLong, 413);
        assertTrue(tooLong.body(), tooLong.body().contains("'message' is longer than 65536 bytes"));

        String truncated = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"message\"\r\n\r\nhi";
        assertProblem(post("/api/v1/applications/shop/services/1/operations/set-message",
                truncated.getBytes(StandardCharsets.UTF_8), truncated.length()), 400);
        assertTrue(director.receivedParams.isEmpty());
    }

    @Test
    public void malformedUrisAndHeadersAnswerProblemJson() throws Exception {
        for (String path : new String[] {"/api/v1/x/%", "/api/v1/x;%", "/api/v1/x/%zz", "/%",
                "/api/v1/applications?x=%g1"}) {
            RawHttp.Answer answer = get(path, "");
            assertProblem(answer, 400);
            assertTrue(path + ": " + answer.body(), answer.body().toLowerCase().contains("malformed")
                    || answer.body().contains("'%'"));
        }
        RawHttp.Answer huge = get("/api/v1/version", "X-Filler: " + "a".repeat(20_000) + "\r\n");
        assertProblem(huge, 431);
        RawHttp.Answer badWait = get("/api/v1/applications/shop/services/1/start?wait=abc", "");
        assertEquals(405, badWait.status()); // GET on a POST resource; the POST below is the real check
        RestHarness.Reply wait = rest.send("POST", "/api/v1/applications/shop/services/1/start?wait=abc", null,
                null);
        assertEquals(wait.body(), 400, wait.status());
        assertTrue(wait.body(), wait.body().contains("wait must be a whole number"));
    }

    @Test
    public void otherBodiesAreBoundedTo1MbWithOrWithoutALength() throws Exception {
        String big = "{\"name\":\"" + "x".repeat(RequestBodyBounds.MAX_BODY_BYTES) + "\"}";
        RestHarness.Reply declared = rest.post("/api/v1/applications", big);
        assertEquals(declared.body(), 413, declared.status());
        assertTrue(declared.body(), declared.body().contains("larger than 1024 KB"));

        String head = "POST /api/v1/applications HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
                + RestHarness.basic("alice", RestHarness.password("alice")) + "\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
        byte[] chunk = ("200000\r\n{\"name\":\"" + "x".repeat(0x200000 - 9) + "\r\n0\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        RawHttp.Answer chunked = RawHttp.exchange(rest.base.getPort(), head, chunk, chunk.length);
        assertProblem(chunked, 413);
        assertEquals("no application created", 1, director.applications("alice").size());
    }

    private RawHttp.Answer post(String path, byte[] prefix, long length) throws Exception {
        String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
                + RestHarness.basic("alice", RestHarness.password("alice")) + "\r\nContent-Type: multipart/form-data; "
                + "boundary=" + BOUNDARY + "\r\nContent-Length: " + length + "\r\nConnection: close\r\n\r\n";
        return RawHttp.exchange(rest.base.getPort(), head, prefix, length);
    }

    private RawHttp.Answer get(String path, String extraHeaders) throws Exception {
        String head = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
                + RestHarness.basic("alice", RestHarness.password("alice")) + "\r\n" + extraHeaders
                + "Connection: close\r\n\r\n";
        return RawHttp.exchange(rest.base.getPort(), head, new byte[0], 0);
    }

    private static byte[] filePart(String field, String fileName) {
        return ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\"" + fileName
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
    }

    private static void assertProblem(RawHttp.Answer answer, int status) throws Exception {
        assertEquals(answer.body(), status, answer.status());
        assertTrue(answer.contentType() + ": " + answer.body(),
                answer.contentType().startsWith("application/problem+json"));
        JsonNode problem = new ObjectMapper().readTree(answer.body());
        assertEquals(answer.body(), status, problem.get("status").asInt());
        assertTrue(answer.body(), problem.get("detail").asText().length() > 0);
    }
}
