package org.conpaas.agent.core.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.URLDecoder;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.conpaas.agent.core.AgentConfiguration;
import org.conpaas.agent.core.plugins.PluginInstallException;
import org.conpaas.agent.core.plugins.PluginInstaller;
import org.conpaas.agent.core.plugins.PluginRegistry;
import org.conpaas.agent.core.volumes.VolumeException;
import org.conpaas.agent.core.volumes.VolumeMounts;
import org.conpaas.service.support.code.CodeStore;
import org.conpaas.service.support.json.Json;
import org.conpaas.service.support.json.JsonSyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The endpoints of the agent protocol (docs/agent-protocol.md), behind mutual TLS. */
public final class AgentApi implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(AgentApi.class);
    private static final Pattern PLAIN_FILE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,254}");
    /** A plug-in jar larger than this is refused; it would not fit the agent's small heap anyway. */
    private static final int MAX_BUNDLE_BYTES = 32 * 1024 * 1024;
    /** An operation's parameters: far more than any plug-in's (a thousand members' addresses are ~60 KB). */
    static final int MAX_PARAMETER_BYTES = 4 * 1024 * 1024;

    private final AgentConfiguration config;
    private final PluginRegistry registry;
    private final PluginInstaller installer;
    private final VolumeMounts volumes;
    private final Responses responses = new Responses();
    private final Instant startedAt = Instant.now();
    private final CodeRequests code;

    public AgentApi(AgentConfiguration config, PluginRegistry registry, PluginInstaller installer,
            VolumeMounts volumes) {
        this.config = config;
        this.registry = registry;
        this.installer = installer;
        this.volumes = volumes;
        this.code = new CodeRequests(new CodeStore(config.codeDir()), config.uploadDir(),
                () -> registry == null ? List.of()
                        : registry.all().stream().map(PluginRegistry.Registered::plugin).toList(), responses);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            try {
                route(exchange);
            } catch (Problem problem) {
                drain(exchange.getRequestBody());
                responses.problem(exchange, problem);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                responses.problem(exchange, new Problem(503, "Service Unavailable", "the agent is shutting down"));
            } catch (RuntimeException e) {
                LOG.error("request {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
                responses.problem(exchange, new Problem(500, "Internal Server Error", messageOf(e)));
            }
        }
    }

    private void route(HttpExchange exchange) throws IOException, Problem, InterruptedException {
        String method = exchange.getRequestMethod();
        // split the raw path first, so an encoded slash stays inside its segment (and fails the file name check)
        String[] path = exchange.getRequestURI().getRawPath().split("/");
        for (int i = 0; i < path.length; i++) {
            path[i] = URLDecoder.decode(path[i].replace("+", "%2B"), StandardCharsets.UTF_8);
        }
        // path[0] is the empty string before the leading slash
        if (path.length < 3 || !"v1".equals(path[1])) {
            throw Problem.notFound("there is no endpoint " + exchange.getRequestURI().getPath());
        }
        String resource = path[2];
        if ("status".equals(resource) && path.length == 3) {
            expect(method, "GET");
            responses.json(exchange, 200, status());
        } else if ("metrics".equals(resource) && path.length == 3) {
            expect(method, "GET");
            responses.json(exchange, 200, Metrics.current(registry == null ? Map.of() : registry.metrics()));
        } else if ("logs".equals(resource) && path.length == 4) {
            expect(method, "GET");
            sendLog(exchange, path[3]);
        } else if ("plugins".equals(resource) && path.length == 4) {
            expect(method, "PUT");
            installPlugin(exchange, path[3]);
        } else if ("plugins".equals(resource) && path.length == 6 && "operations".equals(path[4])) {
            expect(method, "POST");
            callOperation(exchange, path[3], path[5]);
        } else if ("code".equals(resource)) {
            code.handle(exchange, method, Arrays.asList(path).subList(3, path.length));
        } else if ("volumes".equals(resource) && path.length == 3) {
            expect(method, "GET");
            responses.json(exchange, 200, volumes(VolumeMounts::list));
        } else if ("volumes".equals(resource) && path.length == 4 && "PUT".equals(method)) {
            String device = readDevice(exchange);
            VolumeMounts.Volume mounted = volumes(v -> v.mount(path[3], device));
            responses.json(exchange, 200, Map.of("name", mounted.name(), "path", mounted.path()));
        } else if ("volumes".equals(resource) && path.length == 4) {
            expect(method, "DELETE");
            volumes(v -> {
                v.unmount(path[3]);
                return null;
            });
            responses.json(exchange, 200, Map.of());
        } else {
            throw Problem.notFound("there is no endpoint " + exchange.getRequestURI().getPath());
        }
    }

    private interface VolumeCall<T> {
        T on(VolumeMounts volumes) throws VolumeException;
    }

    /** Runs a volume request, turning its failure into the protocol's status. */
    private <T> T volumes(VolumeCall<T> call) throws Problem {
        try {
            return call.on(volumes);
        } catch (VolumeException e) {
            LOG.warn("volume request failed: {}", e.getMessage());
            throw switch (e.kind()) {
                case INVALID -> Problem.badRequest(e.getMessage());
                case CONFLICT -> new Problem(409, "Conflict", e.getMessage());
                case FAILED -> new Problem(500, "Internal Server Error", e.getMessage());
            };
        }
    }

    private String readDevice(HttpExchange exchange) throws IOException, Problem {
        return JsonBodies.textField(exchange, "device", device -> !device.isBlank(),
                "the body must be a JSON object naming the volume's \"device\"");
    }

    private Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("nodeId", config.nodeId());
        status.put("role", config.role());
        status.put("applicationId", config.applicationId());
        status.put("serviceId", config.serviceId());
        status.put("pid", ProcessHandle.current().pid());
        status.put("startedAt", startedAt.toString());
        status.put("plugins", registry.versions());
        status.put("problems", registry.problems());
        return status;
    }

    private void installPlugin(HttpExchange exchange, String type) throws IOException, Problem, InterruptedException {
        if (!PluginInstaller.isValidType(type)) {
            throw Problem.badRequest("'" + type + "' is not a valid plugin type");
        }
        byte[] jar = exchange.getRequestBody().readNBytes(MAX_BUNDLE_BYTES + 1);
        if (jar.length == 0 || jar.length > MAX_BUNDLE_BYTES) {
            throw Problem.badRequest("the plugin bundle must be a jar of 1 byte to " + MAX_BUNDLE_BYTES + " bytes");
        }
        try {
            PluginInstaller.Installed installed = installer.install(type, jar);
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("type", installed.type());
            answer.put("version", installed.version());
            answer.put("bundleId", installed.bundleId());
            responses.json(exchange, 200, answer);
        } catch (PluginInstallException e) {
            LOG.warn("installing plugin {} failed: {}", type, e.getMessage());
            throw new Problem(422, "Unprocessable Entity", e.getMessage());
        }
    }

    private void callOperation(HttpExchange exchange, String type, String operation) throws IOException, Problem {
        PluginRegistry.Registered plugin = registry.find(type)
                .orElseThrow(() -> Problem.notFound("plugin " + type + " is not installed"));
        Map<String, Path> files = new HashMap<>();
        try {
            Map<String, Object> params = readParameters(exchange, files);
            Object result;
            try {
                result = plugin.plugin().invoke(operation, params, files);
            } catch (IllegalArgumentException e) {
                throw Problem.badRequest(messageOf(e));
            } catch (Exception e) {
                LOG.warn("operation {} of plugin {} failed", operation, type, e);
                throw new Problem(500, "Internal Server Error", messageOf(e));
            }
            Map<String, Object> answer = new HashMap<>();
            answer.put("result", result);
            responses.json(exchange, 200, answer);
        } finally {
            for (Path file : files.values()) {
                Files.deleteIfExists(file);
            }
        }
    }

    private Map<String, Object> readParameters(HttpExchange exchange, Map<String, Path> files)
            throws IOException, Problem {
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType != null && contentType.toLowerCase().startsWith("multipart/form-data")) {
            return readMultipart(exchange.getRequestBody(), contentType, files);
        }
        return parseParameters(boundedParameters(exchange.getRequestBody()));
    }

    private static byte[] boundedParameters(InputStream in) throws IOException, Problem {
        byte[] body = in.readNBytes(MAX_PARAMETER_BYTES + 1);
        if (body.length > MAX_PARAMETER_BYTES) {
            throw new Problem(413, "Payload Too Large",
                    "the operation parameters are larger than " + MAX_PARAMETER_BYTES / (1024 * 1024) + " MB");
        }
        return body;
    }

    private Map<String, Object> readMultipart(InputStream body, String contentType, Map<String, Path> files)
            throws IOException, Problem {
        MultipartReader reader = new MultipartReader(body, contentType);
        Map<String, Object> params = Map.of();
        try {
            for (MultipartReader.Part part = reader.next(); part != null; part = reader.next()) {
                if ("params".equals(part.name()) && part.fileName() == null) {
                    params = parseParameters(boundedParameters(part.content()));
                } else {
                    Path file = config.uploadDir().resolve(UUID.randomUUID() + "-" + safeName(part));
                    files.put(part.name(), file);
                    Files.copy(part.content(), file);
                }
            }
        } catch (IOException e) {
            throw Problem.badRequest("the multipart body could not be read: " + e.getMessage());
        }
        return params;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parseParameters(byte[] body) throws Problem {
        String text = new String(body, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            return Map.of();
        }
        try {
            if (Json.parse(text) instanceof Map<?, ?> params) {
                return (Map<String, Object>) params;
            }
            throw Problem.badRequest("the operation parameters must be a JSON object");
        } catch (JsonSyntaxException e) {
            throw Problem.badRequest("the operation parameters are not valid JSON: " + e.getMessage());
        }
    }

    private void sendLog(HttpExchange exchange, String fileName) throws IOException, Problem {
        if (!PLAIN_FILE_NAME.matcher(fileName).matches()) {
            throw Problem.badRequest("'" + fileName + "' is not a plain file name");
        }
        Path file = config.logDir().resolve(fileName);
        if (!Files.isRegularFile(file)) {
            throw Problem.notFound("there is no log file " + fileName);
        }
        int tail = tailParameter(exchange.getRequestURI().getRawQuery());
        long start = tail > 0 ? LogTail.startOfLastLines(file, tail) : 0;
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            // the file may grow while it is sent: send exactly the bytes that existed now
            long length = raf.length() - start;
            exchange.sendResponseHeaders(200, length == 0 ? -1 : length);
            raf.seek(start);
            try (OutputStream out = exchange.getResponseBody();
                    InputStream in = Channels.newInputStream(raf.getChannel())) {
                copyExactly(in, out, length);
            }
        }
    }

    private static void copyExactly(InputStream in, OutputStream out, long length) throws IOException {
        byte[] buffer = new byte[8192];
        long left = length;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                break;
            }
            out.write(buffer, 0, n);
            left -= n;
        }
    }

    private static int tailParameter(String query) throws Problem {
        if (query == null) {
            return 0;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith("tail=")) {
                try {
                    int tail = Integer.parseInt(pair.substring(5));
                    if (tail < 0) {
                        throw new NumberFormatException();
                    }
                    return tail;
                } catch (NumberFormatException e) {
                    throw Problem.badRequest("tail must be a whole number of lines, not '" + pair.substring(5) + "'");
                }
            }
        }
        return 0;
    }

    private static void expect(String method, String expected) throws Problem {
        if (!expected.equals(method)) {
            throw new Problem(405, "Method Not Allowed", "use " + expected + " on this endpoint, not " + method);
        }
    }

    private static String safeName(MultipartReader.Part part) {
        String name = part.fileName() == null || part.fileName().isBlank() ? part.name() : part.fileName();
        name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return safe.isEmpty() ? "upload" : safe;
    }

    private static void drain(InputStream body) {
        try (body) {
            body.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            // the client went away; nothing left to answer
        }
    }

    private static String messageOf(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
