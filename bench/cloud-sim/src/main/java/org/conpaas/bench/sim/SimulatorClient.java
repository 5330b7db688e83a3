package org.conpaas.bench.sim;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.conpaas.api.CloudException;

/**
 * The driver's side of the simulator's control port: plain text over HTTP on 127.0.0.1 (the simulator's
 * {@link ControlServer} documents the lines). Kept free of JSON so the simulator needs only the JDK.
 */
final class SimulatorClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    private final String token;

    SimulatorClient(String baseUrl, String token) {
        URI uri = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
        if (!"http".equals(uri.getScheme()) || uri.getHost() == null || !uri.getHost().startsWith("127.")) {
            throw new IllegalArgumentException("simulatorUrl must be http://127.x.x.x:<port>, not " + baseUrl);
        }
        this.base = uri;
        this.token = token;
    }

    /** Starts a simulated agent from the user data; its line "vmId address port". */
    String[] launch(String nodeId, String userData) {
        String answer = send("POST", "nodes", nodeId + "\n" + userData);
        String[] fields = answer.trim().split(" ");
        if (fields.length != 3) {
            throw new CloudException("the agent simulator answered '" + answer.trim() + "' to a launch");
        }
        return fields;
    }

    /** Every live simulated agent: lines "vmId nodeId address port". */
    List<String[]> list() {
        List<String[]> nodes = new ArrayList<>();
        for (String line : send("GET", "nodes", null).split("\n")) {
            if (!line.isBlank()) {
                nodes.add(line.trim().split(" "));
            }
        }
        return nodes;
    }

    void terminate(List<String> vmIds) {
        send("POST", "terminate", String.join("\n", vmIds));
    }

    private String send(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + token);
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new CloudException("the agent simulator answered " + response.statusCode() + ": "
                        + response.body().trim());
            }
            return response.body();
        } catch (IOException e) {
            throw new CloudException("the agent simulator at " + base + " cannot be reached: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CloudException("interrupted while calling the agent simulator", e);
        }
    }
}
