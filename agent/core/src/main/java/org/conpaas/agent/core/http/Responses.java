package org.conpaas.agent.core.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.conpaas.service.support.json.Json;

/** Writes JSON, text and problem answers. */
final class Responses {

    void json(HttpExchange exchange, int status, Object body) throws IOException {
        send(exchange, status, "application/json", Json.bytes(body));
    }

    void problem(HttpExchange exchange, Problem problem) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("title", problem.title());
        body.put("status", problem.status());
        body.put("detail", problem.detail());
        send(exchange, problem.status(), "application/problem+json", Json.bytes(body));
    }

    static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
