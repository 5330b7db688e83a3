package org.conpaas.core.internal.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLException;
import org.conpaas.api.AgentException;
import org.conpaas.api.service.ServiceNode;
import org.conpaas.core.internal.security.Pki;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The agent protocol over HTTPS with mutual TLS (java.net.http). Every call has a timeout from the protocol doc;
 * any failure becomes an {@link AgentException} with one sentence that names the node.
 */
@Component(service = AgentClient.class)
public final class HttpsAgentClient implements AgentClient {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration INSTALL_TIMEOUT = Duration.ofSeconds(30);
    static final Duration OPERATION_TIMEOUT = Duration.ofSeconds(120);
    static final Duration LOG_TIMEOUT = Duration.ofSeconds(10);
    /** Sending and expanding an archive, or a plug-in's reaction to a new version (Tomcat deploying a WAR). */
    static final Duration CODE_TIMEOUT = Duration.ofSeconds(120);
    /** Formatting a large volume takes a while. */
    static final Duration VOLUME_TIMEOUT = Duration.ofSeconds(120);
    /** A status call retried for a busy agent gets at least this long, or is not retried. */
    static final Duration MIN_STATUS_TIMEOUT = Duration.ofMillis(100);

    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();

    @Activate
    public HttpsAgentClient(@Reference Pki pki) {
        this.http = HttpClient.newBuilder()
                .sslContext(pki.agentClientContext())
                .version(HttpClient.Version.HTTP_1_1) // the agent's JDK HttpsServer speaks HTTP/1.1 only
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * A busy agent ({@code 503}) is asked again after the pause it names while the timeout allows; if it is still
     * busy then, the {@link AgentBusyException} says so, and callers that only want to know whether the node lives
     * (the node health checks) take it as an answer.
     */
    @Override
    public AgentStatus status(ServiceNode node, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                return statusOnce(node, timeout);
            } catch (AgentBusyException busy) {
                long left = deadline - System.nanoTime();
                long pause = Math.min(busy.retryAfter().toNanos(), left);
                if (left - pause < MIN_STATUS_TIMEOUT.toNanos()) {
                    throw busy;
                }
                sleep(Duration.ofNanos(pause), node);
                timeout = Duration.ofNanos(deadline - System.nanoTime());
            }
        }
    }

    private static void sleep(Duration pause, ServiceNode node) {
        try {
            Thread.sleep(pause.toMillis(), (int) (pause.toNanos() % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentException(node.id(), "the call to node " + node.id() + " was interrupted", e);
        }
    }

    private AgentStatus statusOnce(ServiceNode node, Duration timeout) {
        HttpRequest request = request(node, "/v1/status", timeout).GET().build();
        JsonNode status = readJson(node, "status", send(node, "status", request, timeout));
        String nodeId = status.path("nodeId").asText(null);
        if (!node.id().equals(nodeId)) {
            throw new AgentException(node.id(), "the agent at " + hostPort(node) + " is " + nodeId + ", not node "
                    + node.id());
        }
        Map<String, String> plugins = new LinkedHashMap<>();
        status.path("plugins").fields().forEachRemaining(e -> plugins.put(e.getKey(), e.getValue().asText()));
        Map<String, String> problems = new LinkedHashMap<>();
        status.path("problems").fields().forEachRemaining(e -> problems.put(e.getKey(), e.getValue().asText()));
        return new AgentStatus(nodeId, status.path("pid").asLong(-1), plugins, problems);
    }

    @Override
    public void installPlugin(ServiceNode node, String type, byte[] bundleJar) {
        HttpRequest request = request(node, "/v1/plugins/" + segment(type), INSTALL_TIMEOUT)
                .header("Content-Type", "application/java-archive")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bundleJar)).build();
        send(node, "installing plugin " + type, request, INSTALL_TIMEOUT);
    }

    @Override
    public Object call(ServiceNode node, String type, String operation, Map<String, Object> params,
            Map<String, Path> files) {
        String what = "operation " + operation + " of plugin " + type;
        HttpRequest.Builder builder = request(node,
                "/v1/plugins/" + segment(type) + "/operations/" + segment(operation), OPERATION_TIMEOUT);
        byte[] paramsJson = toJson(params == null ? Map.of() : params);
        if (files == null || files.isEmpty()) {
            builder.header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(paramsJson));
        } else {
            MultipartBody body = new MultipartBody(paramsJson, files);
            builder.header("Content-Type", body.contentType()).POST(body.publisher());
        }
        JsonNode answer = readJson(node, what, send(node, what, builder.build(), OPERATION_TIMEOUT));
        return json.convertValue(answer.get("result"), Object.class);
    }

    @Override
    public AgentMetrics metrics(ServiceNode node, Duration timeout) {
        HttpRequest request = request(node, "/v1/metrics", timeout).GET().build();
        JsonNode metrics = readJson(node, "metrics", send(node, "metrics", request, timeout));
        Map<String, Double> service = new java.util.HashMap<>();
        metrics.path("service").fields().forEachRemaining(f -> {
            if (f.getValue().isNumber()) {
                service.put(f.getKey(), f.getValue().asDouble());
            }
        });
        return new AgentMetrics(metrics.path("processCpuMillis").asLong(-1), metrics.path("processRssKb").asLong(-1),
                metrics.path("cpus").asInt(-1), metrics.path("memTotalKb").asLong(-1), service);
    }

    @Override
    public String log(ServiceNode node, String file, int tail) {
        String path = "/v1/logs/" + segment(file) + (tail > 0 ? "?tail=" + tail : "");
        HttpRequest request = request(node, path, LOG_TIMEOUT).GET().build();
        return send(node, "reading log " + file, request, LOG_TIMEOUT);
    }

    @Override
    public String mountVolume(ServiceNode node, String name, String device) {
        String what = "mounting volume " + name;
        HttpRequest request = request(node, "/v1/volumes/" + segment(name), VOLUME_TIMEOUT)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(toJson(Map.of("device", device)))).build();
        String path = readJson(node, what, send(node, what, request, VOLUME_TIMEOUT)).path("path").asText("");
        if (path.isBlank()) {
            throw new AgentException(node.id(), "node " + node.id() + " mounted volume " + name
                    + " but did not say where");
        }
        return path;
    }

    @Override
    public void unmountVolume(ServiceNode node, String name) {
        HttpRequest request = request(node, "/v1/volumes/" + segment(name), VOLUME_TIMEOUT).DELETE().build();
        send(node, "unmounting volume " + name, request, VOLUME_TIMEOUT);
    }

    @Override
    public void installCode(ServiceNode node, String version, Path archive) {
        HttpRequest request;
        try {
            request = request(node, "/v1/code/versions/" + segment(version), CODE_TIMEOUT)
                    .header("Content-Type", "application/octet-stream")
                    .PUT(HttpRequest.BodyPublishers.ofFile(archive)).build();
        } catch (java.io.FileNotFoundException e) {
            throw new AgentException(node.id(), "the archive of code version " + version + " is missing", e);
        }
        send(node, "installing code version " + version, request, CODE_TIMEOUT);
    }

    @Override
    public void activateCode(ServiceNode node, String version) {
        HttpRequest request = request(node, "/v1/code/active", CODE_TIMEOUT)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(toJson(Map.of("version", version)))).build();
        send(node, "activating code version " + version, request, CODE_TIMEOUT);
    }

    private HttpRequest.Builder request(ServiceNode node, String path, Duration timeout) {
        return HttpRequest.newBuilder(URI.create("https://" + hostPort(node) + path)).timeout(timeout);
    }

    /** Sends and returns the body of a 200 answer; everything else becomes an AgentException. */
    private String send(ServiceNode node, String what, HttpRequest request, Duration timeout) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException e) {
            throw new AgentException(node.id(), "node " + node.id() + " did not accept a connection at "
                    + hostPort(node) + " within " + seconds(CONNECT_TIMEOUT), e);
        } catch (HttpTimeoutException e) {
            throw new AgentException(node.id(), "node " + node.id() + " did not answer within " + seconds(timeout)
                    + " (" + what + ")", e);
        } catch (ConnectException e) {
            throw new AgentUnreachableException(node.id(), "node " + node.id() + " refused the connection at "
                    + hostPort(node), e);
        } catch (SSLException e) {
            throw new AgentException(node.id(), "node " + node.id() + " failed the TLS handshake at "
                    + hostPort(node) + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new AgentUnreachableException(node.id(), "node " + node.id() + " could not be reached at "
                    + hostPort(node) + ": " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentException(node.id(), "the call to node " + node.id() + " was interrupted", e);
        }
        if (response.statusCode() == 503) {
            throw new AgentBusyException(node.id(), "node " + node.id() + " is busy and refused " + what + " for now: "
                    + problemDetail(response), AgentBusyException.parseRetryAfter(
                            response.headers().firstValue("Retry-After").orElse(null)));
        }
        if (response.statusCode() != 200) {
            throw new AgentException(node.id(), "node " + node.id() + " refused " + what + ": "
                    + problemDetail(response));
        }
        return response.body();
    }

    private String problemDetail(HttpResponse<String> response) {
        try {
            String detail = json.readTree(response.body()).path("detail").asText("");
            if (!detail.isBlank()) {
                return detail + " (HTTP " + response.statusCode() + ")";
            }
        } catch (JsonProcessingException e) {
            // not a problem document: fall back to the status code
        }
        return "HTTP " + response.statusCode();
    }

    private JsonNode readJson(ServiceNode node, String what, String body) {
        try {
            return json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new AgentException(node.id(), "node " + node.id() + " answered " + what + " with invalid JSON", e);
        }
    }

    private byte[] toJson(Map<String, Object> params) {
        try {
            return json.writeValueAsBytes(params);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the operation parameters cannot be written as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    private static String hostPort(ServiceNode node) {
        String host = node.address().contains(":") ? "[" + node.address() + "]" : node.address();
        return host + ":" + node.port();
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    private static String describe(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
