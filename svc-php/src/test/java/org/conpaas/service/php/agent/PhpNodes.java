package org.conpaas.service.php.agent;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.conpaas.service.testing.FakeNodeEnvironment;
import org.conpaas.service.testing.LocalProcessRunner;

/**
 * Real nodes for agent tests: each a folder and a loopback address of its own (127.0.R.n with a random R, so that
 * concurrent test runs do not meet), with the real nginx, php-fpm and memcached started through the plug-in.
 */
final class PhpNodes implements AutoCloseable {

    static final int PROXY_PORT = 18080;

    /** A tiny application: a static file, a page naming the backend (its node folder), a session counter. */
    static final Map<String, String> APP = Map.of(
            "hello.txt", "hello static\n",
            "backend.php", "<?php echo 'served by ' . basename(dirname(__DIR__, 3));\n",
            "counter.php", "<?php session_start(); $_SESSION['n'] = ($_SESSION['n'] ?? 0) + 1;\n"
                    + "echo 'count ' . $_SESSION['n'] . ' by ' . basename(dirname(__DIR__, 3));\n",
            "index.php", "<?php echo 'php index';\n",
            "docs/index.html", "static index\n",
            "broken.php", "<?php echo 'before'; undefined_function_xyz();\n");

    final Path base;
    final int subnet = ThreadLocalRandom.current().nextInt(100, 250);
    private final List<LocalProcessRunner> runners = new ArrayList<>();
    private final Map<Integer, FakeNodeEnvironment> environments = new java.util.HashMap<>();

    PhpNodes() throws IOException {
        Path target = Path.of("target").toAbsolutePath();
        Files.createDirectories(target);
        base = Files.createTempDirectory(target, "php-nodes-");
        // the workers (www-data when the test runs as root) must be able to reach the nodes' code
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    String address(int n) {
        return "127.0." + subnet + "." + n;
    }

    PhpAgentPlugin node(int n) throws IOException {
        Path work = base.resolve("node-" + n);
        Files.createDirectories(work);
        LocalProcessRunner runner = new LocalProcessRunner();
        runners.add(runner);
        FakeNodeEnvironment environment = new FakeNodeEnvironment("node-" + n, address(n), work, runner);
        environments.put(n, environment);
        return new PhpAgentPlugin(environment);
    }

    /** A new plug-in instance on a node that already has one, as after the director pushed an updated plug-in. */
    PhpAgentPlugin replacement(int n) {
        return new PhpAgentPlugin(environments.get(n));
    }

    static Path zip(Path folder, Map<String, String> files) throws IOException {
        Path zip = Files.createTempFile(folder, "code-", ".zip");
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
            for (Map.Entry<String, String> file : files.entrySet()) {
                z.putNextEntry(new ZipEntry(file.getKey()));
                z.write(file.getValue().getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
        return zip;
    }

    static Map<String, Object> upstream(String ip, int port, int weight) {
        return Map.of("ip", ip, "port", port, "weight", weight);
    }

    /** Stops every server (also after a failed assertion) and deletes the folders. */
    @Override
    public void close() throws IOException {
        runners.forEach(LocalProcessRunner::stopAll);
        if (Boolean.getBoolean("keepNodes")) {
            return; // -DkeepNodes=true keeps configurations and logs for a look after a failure
        }
        try (var walk = Files.walk(base)) {
            for (Path p : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** A client keeping its session cookie, one fresh connection per request so that every request is counted. */
    static final class Browser {
        private String cookie;

        /** The status and the body (the error body for statuses of 400 and more). */
        Answer get(String url) throws IOException {
            java.net.HttpURLConnection connection = (java.net.HttpURLConnection) URI.create(url).toURL()
                    .openConnection();
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
                var in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
                String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
                return new Answer(status, body);
            } finally {
                connection.disconnect();
            }
        }
    }

    record Answer(int status, String body) {
    }
}
