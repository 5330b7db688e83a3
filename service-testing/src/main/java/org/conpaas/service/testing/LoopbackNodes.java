package org.conpaas.service.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.conpaas.api.agent.NodeEnvironment;

/**
 * Real nodes for agent plug-in tests: each a folder and a loopback address of its own (127.0.R.n with a random R, so
 * that concurrent test runs do not meet), its servers started for real through the plug-in that {@code plugins}
 * makes. {@link #close()} stops every process the nodes started (also after a failed assertion) and deletes them.
 */
public final class LoopbackNodes<P> implements AutoCloseable {

    public final Path base;
    private final int subnet = ThreadLocalRandom.current().nextInt(100, 250);
    private final Function<NodeEnvironment, P> plugins;
    private final List<LocalProcessRunner> runners = new ArrayList<>();
    private final Map<Integer, FakeNodeEnvironment> environments = new HashMap<>();
    private final Map<Integer, LocalProcessRunner> runnersByNode = new HashMap<>();
    private final Map<Object, FakeNodeEnvironment> byPlugin = new java.util.IdentityHashMap<>();

    public LoopbackNodes(String name, Function<NodeEnvironment, P> plugins) throws IOException {
        this.plugins = plugins;
        // In the system's temporary folder, not below target/: the servers' workers (www-data when the test runs as
        // root) must reach the nodes' code, and a checkout below /root or a Debian 12 home (mode 700) is out of their
        // reach; on a real node the local cloud opens that path, which a test must not do to the user's folders.
        base = Files.createTempDirectory(name + "-nodes-");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    public String address(int n) {
        return "127.0." + subnet + "." + n;
    }

    /** Node {@code n} (folder {@code node-n}) with a fresh plug-in instance. */
    public P node(int n) throws IOException {
        Path work = base.resolve("node-" + n);
        Files.createDirectories(work);
        LocalProcessRunner runner = new LocalProcessRunner();
        runners.add(runner);
        runnersByNode.put(n, runner);
        FakeNodeEnvironment environment = new FakeNodeEnvironment("node-" + n, address(n), work, runner);
        environments.put(n, environment);
        P plugin = plugins.apply(environment);
        byPlugin.put(plugin, environment);
        return plugin;
    }

    /**
     * What the agent does when the director activates a version on the plug-in's node: stores the archive, switches
     * the node's code to it and tells the plug-in (switching back when the plug-in refuses; its failure is thrown).
     */
    public void activateCode(P plugin, String version, Path archive) throws Exception {
        byPlugin.get(plugin).activateCode((org.conpaas.api.agent.AgentPlugin) plugin, version, archive);
    }

    /** A new plug-in instance on a node that already has one, as after the director pushed an updated plug-in. */
    public P replacement(int n) {
        P plugin = plugins.apply(environments.get(n));
        byPlugin.put(plugin, environments.get(n));
        return plugin;
    }

    /** Node {@code n}'s machine is gone: every process its plug-ins started ends at once. */
    public void fail(int n) {
        LocalProcessRunner runner = runnersByNode.get(n);
        if (runner != null) {
            runner.stopAll();
        }
    }

    /** A zip of these files (path → text) in the nodes' folder. */
    public Path zip(Map<String, String> files) throws IOException {
        Path zip = Files.createTempFile(base, "code-", ".zip");
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
            for (Map.Entry<String, String> file : files.entrySet()) {
                z.putNextEntry(new ZipEntry(file.getKey()));
                z.write(file.getValue().getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
        return zip;
    }

    /** An upstream entry of start_proxy. */
    public static Map<String, Object> upstream(String ip, int port, int weight) {
        return Map.of("ip", ip, "port", port, "weight", weight);
    }

    /** Stops every server and deletes the folders; -DkeepNodes=true keeps configurations and logs for a look. */
    @Override
    public void close() throws IOException {
        runners.forEach(LocalProcessRunner::stopAll);
        if (Boolean.getBoolean("keepNodes")) {
            return;
        }
        try (var walk = Files.walk(base)) {
            for (Path p : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** A client keeping its session cookie, one fresh connection per request so that every request is counted. */
    public static final class Browser {
        private String cookie;

        /** The status and the body (the error body for statuses of 400 and more). */
        public Answer get(String url) throws IOException {
            HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
            connection.setConnectTimeout(5000);
            connection.setReadTimeout(10000);
            connection.setRequestProperty("Connection", "close");
            if (cookie != null) {
                connection.setRequestProperty("Cookie", cookie);
            }
            try {
                int status = connection.getResponseCode();
                String setCookie = connection.getHeaderField("Set-Cookie");
                if (setCookie != null) {
                    cookie = setCookie.split(";", 2)[0];
                }
                InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
                String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
                return new Answer(status, body);
            } finally {
                connection.disconnect();
            }
        }
    }

    public record Answer(int status, String body) {
    }
}
