package org.conpaas.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real distribution run as an operator runs it: unpacked from its tarball into {@code target/<name>}, every
 * port free and on 127.0.0.1, started with bin/start and stopped with bin/stop. For tests that need the director as
 * a separate process (a restart, a browser talking to it from outside).
 */
final class DistributionProcess {

    /** The first four bytes of a JDK dynamic class-data-sharing archive, in the machine's byte order. */
    private static final int DYNAMIC_ARCHIVE_MAGIC = 0xf00baba8;

    final Path home;
    final int httpPort;
    /** The director's HTTPS port (etc/org.conpaas.https.cfg). */
    final int httpsPort;
    /** Karaf's ssh server (bin/client). */
    final int sshPort;

    private DistributionProcess(Path home, int httpPort, int httpsPort, int sshPort) {
        this.home = home;
        this.httpPort = httpPort;
        this.httpsPort = httpsPort;
        this.sshPort = sshPort;
    }

    /** Unpacks the distribution into {@code target/<name>} (emptied first) and gives it free ports. */
    static DistributionProcess unpack(String name) throws Exception {
        String dist = System.getProperty("conpaas.dist");
        assertTrue("distribution not built: " + dist, dist != null && new File(dist).isFile());
        Path dir = Files.createDirectories(Paths.get(System.getProperty("conpaas.itest.dir", "target")))
                .resolve(name);
        deleteTree(dir);
        Files.createDirectories(dir);
        run(dir, Duration.ofSeconds(60), "tar", "xzf", dist);
        Path home;
        try (Stream<Path> children = Files.list(dir)) {
            home = children.filter(Files::isDirectory).findFirst()
                    .orElseThrow(() -> new AssertionError("empty distribution " + dist));
        }
        int http = DirectorTestSupport.freePort();
        int https = DirectorTestSupport.freePort();
        int ssh = DirectorTestSupport.freePort();
        configurePorts(home, http, https, ssh);
        return new DistributionProcess(home, http, https, ssh);
    }

    /** Every listening port free and on 127.0.0.1, so parallel runs do not collide. */
    private static void configurePorts(Path home, int http, int https, int ssh) throws IOException {
        set(home.resolve("etc/org.ops4j.pax.web.cfg"), "org.osgi.service.http.port", Integer.toString(http));
        set(home.resolve("etc/org.conpaas.https.cfg"), "port", Integer.toString(https));
        set(home.resolve("etc/org.apache.karaf.shell.cfg"), "sshPort", Integer.toString(ssh));
        set(home.resolve("etc/org.conpaas.cloud.local-default.cfg"), "addressRange",
                DirectorTestSupport.ownAddressRange());
    }

    /** Sets one "key = value" of a file under etc/ (replaced or appended); a running director reads it live. */
    void configure(String file, String key, String value) throws IOException {
        set(home.resolve("etc").resolve(file), key, value);
    }

    /** Replaces (or appends) one "key = value" line of a Karaf configuration file. */
    static void set(Path file, String key, String value) throws IOException {
        List<String> lines = Files.exists(file) ? new ArrayList<>(Files.readAllLines(file)) : new ArrayList<>();
        boolean replaced = false;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).matches("\\s*" + java.util.regex.Pattern.quote(key) + "\\s*=.*")) {
                lines.set(i, key + " = " + value);
                replaced = true;
            }
        }
        if (!replaced) {
            lines.add(key + " = " + value);
        }
        Files.write(file, lines, StandardCharsets.UTF_8);
    }

    void start() throws Exception {
        run(home, Duration.ofSeconds(60), "bin/start");
    }

    /**
     * bin/stop, then waits for the Karaf JVM (karaf.pid) to exit (a JVM that records a class archive writes it on the
     * way out, a few seconds); kills it by PID if it does not.
     */
    void stop() throws Exception {
        Path pidFile = home.resolve("karaf.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        long pid = pid();
        if (ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true)) {
            return; // stopped already (a test failing between a stop and the next start): bin/stop would fail
        }
        run(home, Duration.ofSeconds(60), "bin/stop");
        ProcessHandle.of(pid).ifPresent(p -> {
            try {
                p.onExit().get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
            }
        });
    }

    /** The Karaf JVM's process id, from karaf.pid. */
    private long pid() throws IOException {
        return Long.parseLong(Files.readString(home.resolve("karaf.pid")).trim());
    }

    /**
     * The director's class-data-sharing archive in data/cds (bin/setenv): the one the build trained and shipped, or
     * one a JVM wrote as it exited. A complete one (a dynamic archive's header, with {@link #DYNAMIC_ARCHIVE_MAGIC},
     * is written last), or none.
     */
    Optional<Path> classArchive() throws IOException {
        Path dir = home.resolve("data/cds");
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().matches("director-.*\\.jsa"))
                    .filter(DistributionProcess::isCompleteArchive).findFirst();
        }
    }

    private static boolean isCompleteArchive(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(4);
            return head.length == 4
                    && ByteBuffer.wrap(head).order(ByteOrder.nativeOrder()).getInt() == DYNAMIC_ARCHIVE_MAGIC;
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether the running director's JVM has {@code archive} mapped into its memory (so it loads classes from it). */
    boolean maps(Path archive) throws IOException {
        return mapsFileEndingIn(pid(), archive.toRealPath().toString());
    }

    /** Whether process {@code pid} has a file whose path ends in {@code suffix} mapped into its memory. */
    static boolean mapsFileEndingIn(long pid, String suffix) throws IOException {
        return Files.readAllLines(Paths.get("/proc", Long.toString(pid), "maps")).stream()
                .anyMatch(line -> line.endsWith(suffix));
    }

    /** Removes the unpacked distribution (keep it when a test failed: data/log/karaf.log tells why). */
    void delete() throws IOException {
        deleteTree(home.getParent());
    }

    static void run(Path dir, Duration timeout, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("..").resolve(new File(command[0]).getName() + ".out").toFile());
        pb.environment().putIfAbsent("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in " + timeout.toSeconds() + " s");
        }
        assertEquals(String.join(" ", command) + " exit code", 0, p.exitValue());
    }

    static void deleteTree(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }
}
