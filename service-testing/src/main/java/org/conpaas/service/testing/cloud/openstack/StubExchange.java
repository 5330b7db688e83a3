package org.conpaas.service.testing.cloud.openstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** One request to the stub: method, path segments after the service prefix, query, JSON body; and its answer. */
final class StubExchange {

    static final ObjectMapper JSON = new ObjectMapper();
    /** Requests to the stub are small; a bound keeps a broken client from filling the test's heap. */
    private static final int MAX_BODY = 1 << 20;

    final String method;
    final String[] path;
    final Map<String, String> query;
    final JsonNode body;
    final String token;
    private final HttpExchange exchange;

    StubExchange(HttpExchange exchange, String prefix) throws IOException {
        this.exchange = exchange;
        this.method = exchange.getRequestMethod();
        String rest = exchange.getRequestURI().getPath().substring(prefix.length());
        this.path = rest.isEmpty() || "/".equals(rest) ? new String[0] : rest.replaceAll("^/+|/+$", "").split("/");
        this.query = parseQuery(exchange.getRequestURI().getRawQuery());
        this.token = exchange.getRequestHeaders().getFirst("X-Auth-Token");
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readNBytes(MAX_BODY);
            this.body = bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
        }
    }

    boolean is(String wantedMethod, int segments) {
        return method.equals(wantedMethod) && path.length == segments;
    }

    void reply(int status, Object body) throws IOException {
        reply(status, body, Map.of());
    }

    void reply(int status, Object body, Map<String, String> headers) throws IOException {
        headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        if (body == null) {
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
            return;
        }
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    /** Nova's and Cinder's error shape: {"itemNotFound": {"code": 404, "message": "..."}}. */
    void fault(int status, String kind, String message) throws IOException {
        reply(status, Map.of(kind, Map.of("code", status, "message", message)));
    }

    private static Map<String, String> parseQuery(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            query.put(key, value);
        }
        return query;
    }
}
