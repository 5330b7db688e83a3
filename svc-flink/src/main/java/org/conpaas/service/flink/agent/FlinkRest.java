package org.conpaas.service.flink.agent;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.conpaas.service.support.json.Json;
import org.conpaas.service.support.json.JsonSyntaxException;

/**
 * Flink's REST API on this node's JobManager (the same calls the dashboard makes). The agent calls it locally, so
 * the director needs no route to Flink's port and jar uploads travel over the agent protocol only.
 */
final class FlinkRest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** Flink answers with small documents; a far larger one is not Flink's. */
    private static final int MAX_ANSWER_CHARS = 4 * 1024 * 1024;

    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    FlinkRest(String address, int port) {
        this.base = "http://" + address + ":" + port;
    }

    /** Flink's answer of an error: the status and its first error line. */
    static final class FlinkException extends IOException {
        final int status;

        FlinkException(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> overview() throws IOException, InterruptedException {
        return (Map<String, Object>) send(HttpRequest.newBuilder(uri("/overview")).GET());
    }

    /** The same within {@code timeout} (a load sample must not wait long). */
    @SuppressWarnings("unchecked")
    Map<String, Object> overview(Duration timeout) throws IOException, InterruptedException {
        return (Map<String, Object>) send(HttpRequest.newBuilder(uri("/overview")).GET(), timeout);
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> jobs() throws IOException, InterruptedException {
        Map<String, Object> answer = (Map<String, Object>) send(HttpRequest.newBuilder(uri("/jobs/overview")).GET());
        return (List<Map<String, Object>>) answer.getOrDefault("jobs", List.of());
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> job(String jobId) throws IOException, InterruptedException {
        return (Map<String, Object>) send(HttpRequest.newBuilder(uri("/jobs/" + jobId)).GET());
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> taskManagers() throws IOException, InterruptedException {
        Map<String, Object> answer = (Map<String, Object>) send(HttpRequest.newBuilder(uri("/taskmanagers")).GET());
        return (List<Map<String, Object>>) answer.getOrDefault("taskmanagers", List.of());
    }

    void cancel(String jobId) throws IOException, InterruptedException {
        send(HttpRequest.newBuilder(uri("/jobs/" + jobId + "?mode=cancel"))
                .method("PATCH", HttpRequest.BodyPublishers.noBody()));
    }

    /** Uploads a jar as the dashboard does; returns Flink's id of the stored jar. */
    @SuppressWarnings("unchecked")
    String upload(Path jar, String fileName) throws IOException, InterruptedException {
        String boundary = "conpaas-" + UUID.randomUUID();
        String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                + fileName.replaceAll("[^A-Za-z0-9._-]", "_") + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n";
        String tail = "\r\n--" + boundary + "--\r\n";
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.concat(
                HttpRequest.BodyPublishers.ofString(head), HttpRequest.BodyPublishers.ofFile(jar),
                HttpRequest.BodyPublishers.ofString(tail));
        Map<String, Object> answer = (Map<String, Object>) send(HttpRequest.newBuilder(uri("/jars/upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary).POST(body));
        String stored = String.valueOf(answer.get("filename"));
        // Flink answers the stored file's path; its id is the file name
        return stored.substring(stored.lastIndexOf('/') + 1);
    }

    /** Runs an uploaded jar; returns the job id. */
    @SuppressWarnings("unchecked")
    String run(String jarId, String entryClass, List<String> args, int parallelism)
            throws IOException, InterruptedException {
        Map<String, Object> request = new LinkedHashMap<>();
        if (entryClass != null && !entryClass.isBlank()) {
            request.put("entryClass", entryClass);
        }
        request.put("programArgsList", new ArrayList<>(args));
        if (parallelism > 0) {
            request.put("parallelism", parallelism);
        }
        Map<String, Object> answer = (Map<String, Object>) send(HttpRequest.newBuilder(uri("/jars/" + jarId + "/run"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(request))));
        return String.valueOf(answer.get("jobid"));
    }

    void deleteJar(String jarId) throws IOException, InterruptedException {
        send(HttpRequest.newBuilder(uri("/jars/" + jarId)).DELETE());
    }

    private URI uri(String path) {
        return URI.create(base + path);
    }

    private Object send(HttpRequest.Builder builder) throws IOException, InterruptedException {
        return send(builder, TIMEOUT);
    }

    private Object send(HttpRequest.Builder builder, Duration timeout) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(builder.timeout(timeout).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        String body = response.body() == null ? "" : response.body();
        if (body.length() > MAX_ANSWER_CHARS) {
            throw new IOException("Flink's answer is larger than " + MAX_ANSWER_CHARS + " characters");
        }
        if (response.statusCode() >= 300) {
            throw new FlinkException(response.statusCode(), firstError(body, response.statusCode()));
        }
        try {
            return body.isBlank() ? Map.of() : Json.parse(body);
        } catch (JsonSyntaxException e) {
            throw new IOException("Flink answered JSON that cannot be read (" + e.getMessage() + ")", e);
        }
    }

    /** Flink's errors are {"errors": [text, stack trace…]}: the first line of the first one says what happened. */
    private static String firstError(String body, int status) {
        try {
            Object parsed = Json.parse(body);
            if (parsed instanceof Map<?, ?> map && map.get("errors") instanceof List<?> errors && !errors.isEmpty()) {
                String text = String.valueOf(errors.get(errors.size() > 1 ? 1 : 0));
                for (Object error : errors) {
                    String line = String.valueOf(error);
                    if (line.contains("Caused by") || line.contains("Exception")) {
                        text = line;
                    }
                }
                return "Flink refused (HTTP " + status + "): " + lastCause(text);
            }
        } catch (RuntimeException unreadable) {
            // fall through: not Flink's error document
        }
        return "Flink refused (HTTP " + status + ")";
    }

    /** The deepest "Caused by:" line of a stack trace, which names the real reason. */
    static String lastCause(String trace) {
        String cause = trace.lines().findFirst().orElse(trace);
        for (String line : trace.lines().toList()) {
            if (line.startsWith("Caused by: ")) {
                cause = line.substring("Caused by: ".length());
            }
        }
        return cause.length() > 300 ? cause.substring(0, 300) + "…" : cause;
    }
}
