package org.conpaas.bench.sim;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The simulator's control port on 127.0.0.1, called by the benchmark cloud's driver in the director, with a bearer
 * token (the user data it carries holds node keys). Plain text:
 * <ul>
 * <li>{@code POST /nodes}, body: the node id, a line break, the node's user data → {@code vmId address port};</li>
 * <li>{@code GET /nodes} → one line {@code vmId nodeId address port} per live agent;</li>
 * <li>{@code POST /terminate}, body: machine ids one a line → empty (unknown ids are ignored).</li>
 * </ul>
 * Refusals answer 400 (a bad launch), 401 (no or wrong token), 404, 405, with one sentence.
 */
final class ControlServer {
    private final AgentSimulator simulator;
    private final byte[] token;
    private final HttpServer server;

    ControlServer(AgentSimulator simulator, int port, String token) throws IOException {
        this.simulator = simulator;
        this.token = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 50);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", this::handle);
    }

    void start() {
        server.start();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (auth == null || !MessageDigest.isEqual(auth.getBytes(StandardCharsets.UTF_8), token)) {
                send(exchange, 401, "a bearer token is needed");
                return;
            }
            byte[] raw = exchange.getRequestBody().readNBytes(UserDataFiles.MAX_USER_DATA + 200);
            String body = new String(raw, StandardCharsets.UTF_8);
            String what = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
            switch (what) {
                case "POST /nodes" -> launch(exchange, body);
                case "GET /nodes" -> {
                    StringBuilder out = new StringBuilder();
                    for (SimulatedAgent a : simulator.agents()) {
                        out.append(a.vmId).append(' ').append(a.nodeId).append(' ')
                                .append(a.address.getAddress().getHostAddress()).append(' ')
                                .append(a.address.getPort()).append('\n');
                    }
                    send(exchange, 200, out.toString());
                }
                case "POST /terminate" -> {
                    simulator.terminate(Arrays.stream(body.split("\n")).filter(s -> !s.isBlank()).toList());
                    send(exchange, 200, "");
                }
                default -> send(exchange, 404, "no such control call: " + what);
            }
        }
    }

    private void launch(HttpExchange exchange, String body) throws IOException {
        int eol = body.indexOf('\n');
        if (eol <= 0) {
            send(exchange, 400, "the body must be the node id, a line break and the user data");
            return;
        }
        try {
            send(exchange, 200, simulator.launch(body.substring(0, eol).trim(), body.substring(eol + 1)));
        } catch (Exception e) {
            send(exchange, 400, "the node cannot be simulated: " + e.getMessage());
        }
    }

    private static void send(HttpExchange exchange, int status, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
