package org.conpaas.agent.core.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.conpaas.api.InvalidInputException;
import org.conpaas.api.TooLargeException;
import org.conpaas.api.UnsupportedArchiveException;
import org.conpaas.api.agent.AgentPlugin;
import org.conpaas.service.support.code.CodeStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's code versions ({@code /v1/code}, docs/agent-protocol.md): the director stores versions and switches the
 * active one; the agent's plug-ins react to every switch. A plug-in that refuses a version puts the node back on the
 * version it served, so a node never stays on a version its plug-in cannot serve.
 */
final class CodeRequests {

    private static final Logger LOG = LoggerFactory.getLogger(CodeRequests.class);
    /** An archive larger than this is refused (413) before it fills the node's disk. */
    static final long MAX_ARCHIVE_BYTES = 512L * 1024 * 1024;

    private final CodeStore store;
    private final Path uploadDir;
    private final Supplier<List<AgentPlugin>> plugins;
    private final Responses responses;
    /** One activation at a time: a switch and the plug-ins' reaction to it belong together. */
    private final Object activation = new Object();

    CodeRequests(CodeStore store, Path uploadDir, Supplier<List<AgentPlugin>> plugins,
            Responses responses) {
        this.store = store;
        this.uploadDir = uploadDir;
        this.plugins = plugins;
        this.responses = responses;
    }

    /** {@code path} after {@code /v1/code}: empty, {@code [active]} or {@code [versions, <v>]}. */
    void handle(HttpExchange exchange, String method, List<String> path) throws IOException, Problem {
        if (path.isEmpty()) {
            expect(method, "GET");
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("active", store.active().orElse(null));
            answer.put("versions", store.versions());
            responses.json(exchange, 200, answer);
        } else if (path.size() == 1 && "active".equals(path.get(0))) {
            expect(method, "PUT");
            String version = readVersion(exchange);
            responses.json(exchange, 200, activate(version));
        } else if (path.size() == 2 && "versions".equals(path.get(0))) {
            expect(method, "PUT");
            store(exchange, path.get(1));
            responses.json(exchange, 200, Map.of("version", path.get(1)));
        } else {
            throw Problem.notFound("there is no endpoint " + exchange.getRequestURI().getPath());
        }
    }

    private void store(HttpExchange exchange, String version) throws IOException, Problem {
        if (!CodeStore.isValidVersion(version)) {
            throw Problem.badRequest("'" + version + "' is not a valid code version");
        }
        Files.createDirectories(uploadDir);
        Path archive = uploadDir.resolve(UUID.randomUUID() + "-code");
        try {
            copyBounded(exchange.getRequestBody(), archive);
            store.store(version, archive);
            LOG.info("stored code version {}", version);
        } catch (TooLargeException refused) {
            throw new Problem(413, "Payload Too Large", "code version " + version + " was refused: "
                    + refused.getMessage());
        } catch (UnsupportedArchiveException refused) {
            throw new Problem(415, "Unsupported Media Type", "code version " + version + " was refused: "
                    + refused.getMessage());
        } catch (InvalidInputException refused) {
            throw new Problem(422, "Unprocessable Entity", "code version " + version + " was refused: "
                    + refused.getMessage());
        } finally {
            Files.deleteIfExists(archive);
        }
    }

    private Map<String, Object> activate(String version) throws IOException, Problem {
        synchronized (activation) {
            Optional<String> before;
            try {
                before = store.activate(version);
            } catch (IllegalStateException notStored) {
                throw new Problem(409, "Conflict", notStored.getMessage());
            }
            try {
                tellPlugins(version);
            } catch (Exception refused) {
                String reason = refused.getMessage() == null ? refused.getClass().getSimpleName()
                        : refused.getMessage();
                LOG.warn("the plug-in refused code version {}: {}", version, reason);
                String now = "the node has no code again";
                if (before.isPresent()) {
                    store.activate(before.get());
                    now = "the node serves " + before.get() + " again";
                    try {
                        tellPlugins(before.get());
                    } catch (Exception e) {
                        LOG.error("the plug-in failed to switch back to code version {}: {}", before.get(),
                                e.getMessage());
                        now += " (its plug-in failed to switch back: " + e.getMessage() + ")";
                    }
                }
                throw new Problem(500, "Internal Server Error", "code version " + version
                        + " could not be activated: " + reason + "; " + now);
            }
            LOG.info("activated code version {}", version);
            return Map.of("active", version);
        }
    }

    private void tellPlugins(String version) throws Exception {
        for (AgentPlugin plugin : plugins.get()) {
            plugin.onCodeActivated(version);
        }
    }

    private String readVersion(HttpExchange exchange) throws IOException, Problem {
        return JsonBodies.textField(exchange, "version", CodeStore::isValidVersion,
                "the body must be a JSON object naming a valid code \"version\"");
    }

    private static void copyBounded(InputStream body, Path file) throws IOException, Problem {
        long total = 0;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = body; OutputStream out = Files.newOutputStream(file)) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                total += n;
                if (total > MAX_ARCHIVE_BYTES) {
                    throw new Problem(413, "Payload Too Large", "a code archive may have at most "
                            + MAX_ARCHIVE_BYTES / (1024 * 1024) + " MB");
                }
                out.write(buffer, 0, n);
            }
        }
        if (total == 0) {
            throw Problem.badRequest("the body must be the code archive");
        }
    }

    private static void expect(String method, String expected) throws Problem {
        if (!expected.equals(method)) {
            throw new Problem(405, "Method Not Allowed", "use " + expected + " on this endpoint, not " + method);
        }
    }
}
