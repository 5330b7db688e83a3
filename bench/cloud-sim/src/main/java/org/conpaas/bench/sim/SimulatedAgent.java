package org.conpaas.bench.sim;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;

/**
 * One simulated node: an HTTPS server with mutual TLS on the node's own address, with the key store and trust store
 * its user data carries, answering the calls the director makes to an agent (docs/agent-protocol.md) as an agent whose
 * plug-in does nothing: a plug-in install is read and recorded (its Bundle-Version is reported in the status), an
 * operation answers success ({@code get_helloworld} the string {@code startup} stored), code versions are recorded.
 * What it does not simulate (logs, volumes) answers 404 or 500 with a problem body.
 */
final class SimulatedAgent {
    static final int MAX_BODY = 64 << 20;
    private static final Pattern STRING_PARAM = Pattern.compile("\"string\"\\s*:\\s*(\"(?:[^\"\\\\]|\\\\.)*\")");
    private static final Pattern VERSION = Pattern.compile("\"version\"\\s*:\\s*\"([A-Za-z0-9._-]{1,128})\"");

    final String vmId;
    final String nodeId;
    final InetSocketAddress address;
    private final Properties identity;
    private final String startedAt = Instant.now().toString();
    private final Map<String, String> plugins = new ConcurrentHashMap<>();
    private final Map<String, Boolean> codeVersions = new ConcurrentHashMap<>();
    private volatile String activeCode;
    private volatile String helloString = "\"helloworld\"";
    private final HttpsServer server;

    SimulatedAgent(String vmId, UserDataFiles files, String bindAddress, Executor executor) throws Exception {
        this.vmId = vmId;
        this.identity = files.agentProperties();
        this.nodeId = identity.getProperty("conpaas.node.id");
        if (nodeId == null) {
            throw new IllegalArgumentException("agent.properties has no conpaas.node.id");
        }
        char[] password = identity.getProperty("conpaas.agent.storePassword", "").toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(new ByteArrayInputStream(files.require("keystore.p12")), password);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(new ByteArrayInputStream(files.require("truststore.p12")), password);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);

        server = HttpsServer.create(new InetSocketAddress(bindAddress, 0), 50);
        server.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = tls.getDefaultSSLParameters();
                p.setNeedClientAuth(true);   // as the agent: no client certificate, no call
                params.setSSLParameters(p);
            }
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        this.address = server.getAddress();
    }

    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!PeerCheck.allowed(((HttpsExchange) exchange).getSSLSession(), identity)) {
                send(exchange, 403, problem(403, "the peer is neither the director nor an agent of this application"));
                return;
            }
            String method = exchange.getRequestMethod();
            String[] path = exchange.getRequestURI().getPath().split("/");   // "", "v1", ...
            byte[] body = readBody(exchange.getRequestBody());
            if (path.length < 3 || !"v1".equals(path[1])) {
                send(exchange, 404, problem(404, "no such endpoint"));
            } else if ("GET".equals(method) && path.length == 3 && "status".equals(path[2])) {
                send(exchange, 200, status());
            } else if ("PUT".equals(method) && path.length == 4 && "plugins".equals(path[2])) {
                String version;
                try {
                    version = bundleVersion(body);
                } catch (IllegalArgumentException e) {
                    send(exchange, 422, problem(422, e.getMessage()));
                    return;
                }
                plugins.put(path[3], version);
                send(exchange, 200, "{\"type\":" + Json.string(path[3]) + ",\"version\":" + Json.string(version)
                        + ",\"bundleId\":" + (100 + plugins.size()) + "}");
            } else if ("POST".equals(method) && path.length == 6 && "plugins".equals(path[2])
                    && "operations".equals(path[4])) {
                operation(exchange, path[3], path[5], new String(body, StandardCharsets.UTF_8));
            } else if ("GET".equals(method) && path.length == 3 && "metrics".equals(path[2])) {
                Runtime rt = Runtime.getRuntime();
                send(exchange, 200, "{\"rssKb\":0,\"heapUsedKb\":" + (rt.totalMemory() - rt.freeMemory()) / 1024
                        + ",\"heapMaxKb\":" + rt.maxMemory() / 1024 + ",\"threads\":" + Thread.activeCount()
                        + ",\"loadAverage\":0}");
            } else if (path.length >= 3 && "code".equals(path[2])) {
                code(exchange, method, path, new String(body, StandardCharsets.UTF_8));
            } else {
                send(exchange, 404, problem(404, "the agent simulator does not serve " + method + " "
                        + exchange.getRequestURI().getPath()));
            }
        } catch (RuntimeException e) {
            send(exchange, 500, problem(500, String.valueOf(e.getMessage())));
        }
    }

    private void operation(HttpExchange exchange, String type, String op, String params) throws IOException {
        if (!plugins.containsKey(type)) {
            send(exchange, 404, problem(404, "plugin " + type + " is not installed"));
            return;
        }
        String result = "{}";
        if ("startup".equals(op)) {
            Matcher m = STRING_PARAM.matcher(params);
            if (m.find()) {
                helloString = m.group(1);
            }
        } else if ("get_helloworld".equals(op)) {
            result = helloString;
        }
        send(exchange, 200, "{\"result\":" + result + "}");
    }

    private void code(HttpExchange exchange, String method, String[] path, String body) throws IOException {
        if ("GET".equals(method) && path.length == 3) {
            StringBuilder versions = new StringBuilder();
            codeVersions.keySet().forEach(v -> versions.append(versions.isEmpty() ? "" : ",").append(Json.string(v)));
            send(exchange, 200, "{\"active\":" + (activeCode == null ? "null" : Json.string(activeCode))
                    + ",\"versions\":[" + versions + "]}");
        } else if ("PUT".equals(method) && path.length == 5 && "versions".equals(path[3])) {
            codeVersions.put(path[4], true);
            send(exchange, 200, "{\"version\":" + Json.string(path[4]) + "}");
        } else if ("PUT".equals(method) && path.length == 4 && "active".equals(path[3])) {
            Matcher m = VERSION.matcher(body);
            if (!m.find() || !codeVersions.containsKey(m.group(1))) {
                send(exchange, 409, problem(409, "that code version is not stored"));
                return;
            }
            activeCode = m.group(1);
            send(exchange, 200, "{\"active\":" + Json.string(activeCode) + "}");
        } else {
            send(exchange, 404, problem(404, "no such endpoint"));
        }
    }

    private String status() {
        StringBuilder p = new StringBuilder();
        plugins.forEach((type, version) -> p.append(p.isEmpty() ? "" : ",").append(Json.string(type)).append(':')
                .append(Json.string(version)));
        return "{\"nodeId\":" + Json.string(nodeId)
                + ",\"role\":" + Json.string(identity.getProperty("conpaas.node.role", ""))
                + ",\"applicationId\":" + Json.string(identity.getProperty("conpaas.application.id", ""))
                + ",\"serviceId\":" + Json.string(identity.getProperty("conpaas.service.id", ""))
                + ",\"pid\":" + ProcessHandle.current().pid()
                + ",\"startedAt\":" + Json.string(startedAt)
                + ",\"plugins\":{" + p + "}}";
    }

    private static String bundleVersion(byte[] jar) {
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar))) {
            Manifest manifest = in.getManifest();
            String version = manifest == null ? null : manifest.getMainAttributes().getValue("Bundle-Version");
            if (version == null) {
                throw new IllegalArgumentException("the plug-in is not a bundle (no Bundle-Version)");
            }
            return version;
        } catch (IOException e) {
            throw new IllegalArgumentException("the plug-in is not a jar: " + e.getMessage(), e);
        }
    }

    private static byte[] readBody(InputStream in) throws IOException {
        byte[] body = in.readNBytes(MAX_BODY + 1);
        if (body.length > MAX_BODY) {
            throw new IllegalArgumentException("request body over " + MAX_BODY + " bytes");
        }
        return body;
    }

    private static String problem(int status, String detail) {
        return "{\"title\":\"agent simulator\",\"status\":" + status + ",\"detail\":" + Json.string(detail) + "}";
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type",
                status < 400 ? "application/json" : "application/problem+json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
