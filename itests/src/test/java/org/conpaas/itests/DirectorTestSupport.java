package org.conpaas.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.rules.TestWatcher;
import org.junit.runner.Description;
import org.ops4j.pax.exam.CoreOptions;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;

/**
 * What every integration test needs: Pax Exam options that boot the real distribution tarball on free loopback
 * ports, a small REST client for the director's API, the agent processes of the local cloud, and bounded waiting.
 * The REST, process and waiting helpers are plain Java, so they work both inside the container (Pax Exam tests run
 * in Karaf) and in the Maven JVM (the restart test drives bin/start and bin/stop itself).
 */
public final class DirectorTestSupport {

    public static final String HTTP_PORT_PROPERTY = "conpaas.itest.httpPort";
    public static final String HTTPS_PORT_PROPERTY = "conpaas.itest.httpsPort";
    public static final String SSH_PORT_PROPERTY = "conpaas.itest.sshPort";
    /** Where the director writes the first administrator's password, relative to karaf.data. */
    public static final String ADMIN_PASSWORD_FILE = "conpaas/admin-password.txt";
    public static final String LOG_DIR_PROPERTY = "conpaas.itest.logDir";
    /**
     * Karaf's boot features are installed when this service appears; until then a bundle refresh may briefly take
     * a package away from this probe (a class first loaded in that moment fails for good).
     */
    private static final String BOOT_FINISHED = "org.apache.karaf.features.BootFinished";
    private static final Duration BOOT_FEATURES = Duration.ofSeconds(180);

    private DirectorTestSupport() {
    }

    /** The JSON mapper of the tests; made at first use, not when this class loads (see {@link #keepLogOnFailure}). */
    public static ObjectMapper mapper() {
        return JsonHolder.MAPPER;
    }

    private static final class JsonHolder {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    // ---------------------------------------------------------------------------------------------- Pax Exam

    /** Boots the distribution tarball built by karaf-distribution, with every listening port free and on 127.0.0.1. */
    /** As {@link #distribution}, with Karaf's ssh server running (tests that log in over ssh or bin/client). */
    public static Option[] distributionWithSsh(String name) {
        List<Option> options = new ArrayList<>();
        for (Option option : distribution(name)) {
            if (!(option instanceof org.ops4j.pax.exam.karaf.options.KarafDistributionConfigurationConsoleOption)) {
                options.add(option);
            }
        }
        options.add(configureConsole().ignoreLocalConsole().startRemoteShell());
        return options.toArray(new Option[0]);
    }

    /** A /24 drawn at random from 127.64.0.0/10, away from the local cloud's default 127.1.0.0/16. */
    static String ownAddressRange() {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        String net = "127." + random.nextInt(64, 128) + "." + random.nextInt(256) + ".";
        return net + "1-" + net + "254";
    }

    public static Option[] distribution(String name) {
        String dist = System.getProperty("conpaas.dist");
        assertNotNull("system property conpaas.dist (the distribution tar.gz) is not set", dist);
        assertTrue("distribution not built: " + dist, new File(dist).isFile());
        String target = System.getProperty("conpaas.itest.dir", "target");
        int http = freePort();
        int https = freePort();
        int ssh = freePort();
        String repo = System.getProperty("maven.repo.local", System.getProperty("user.home") + "/.m2/repository");
        return new Option[] {
            karafDistributionConfiguration().frameworkUrl(new File(dist).toURI().toString())
                .karafVersion(System.getProperty("karaf.version", "4.4.10")).name("conpaas-" + name)
                .unpackDirectory(new File(target, "exam")).useDeployFolder(false),
            configureConsole().ignoreLocalConsole().ignoreRemoteShell(),
            logLevel(LogLevel.WARN),
            CoreOptions.systemTimeout(180_000),
            // Pax Exam's own lookups (its probe invoker, @Inject) wait 10 s by default: too short for a boot on a
            // busy machine, where the container then never runs the test.
            systemProperty("pax.exam.service.timeout").value("90000"),
            systemProperty(HTTP_PORT_PROPERTY).value(Integer.toString(http)),
            systemProperty(HTTPS_PORT_PROPERTY).value(Integer.toString(https)),
            systemProperty(SSH_PORT_PROPERTY).value(Integer.toString(ssh)),
            systemProperty(LOG_DIR_PROPERTY).value(new File(target, "itest-logs").getAbsolutePath()),
            editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", Integer.toString(http)),
            editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.ops4j.pax.web.listening.addresses", "127.0.0.1"),
            editConfigurationFilePut("etc/org.conpaas.https.cfg", "port", Integer.toString(https)),
            editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", Integer.toString(ssh)),
            editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshHost", "127.0.0.1"),
            // Node addresses of this boot's own: a director booted by another build on this host (same default
            // range, port 5555) must not take a node's address between its allocation and its agent's start, nor
            // answer for it.
            editConfigurationFilePut("etc/org.conpaas.cloud.local-default.cfg", "addressRange", ownAddressRange()),
            // Pax Exam installs its own bundles with mvn: URLs; the distribution has no remote repository.
            editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.localRepository", repo),
        };
    }

    /** Every port {@link #freePort()} returned in this JVM. */
    private static final Set<Integer> HANDED_OUT = new HashSet<>();
    /** The lowest port {@link #freePort()} hands out. */
    private static final int LOWEST_PORT = 10_000;

    /**
     * A port of 127.0.0.1 that nothing listens on, below the kernel's ephemeral range and never handed out before by
     * this JVM. Below the ephemeral range, because the kernel gives those ports to every outgoing connection: a CI
     * run's director found its HTTPS port, probed free at configuration time, taken by then ("HTTPS stays off"), and
     * another got the same port for HTTP and HTTPS when two probes in a row drew it.
     */
    public static int freePort() {
        int below = ephemeralPortsStart();
        synchronized (HANDED_OUT) {
            java.util.Random random = new java.util.Random();
            for (int attempt = 0; attempt < 1_000; attempt++) {
                int port = LOWEST_PORT + random.nextInt(below - LOWEST_PORT);
                if (HANDED_OUT.contains(port)) {
                    continue;
                }
                try (ServerSocket s = new ServerSocket()) {
                    s.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
                    HANDED_OUT.add(port);
                    return port;
                } catch (IOException taken) {
                    // in use: draw again
                }
            }
            throw new IllegalStateException("no free port of 127.0.0.1 between " + LOWEST_PORT + " and " + below);
        }
    }

    /** The first port of the kernel's ephemeral range (Linux's default 32768 when it cannot be read). */
    private static int ephemeralPortsStart() {
        try {
            String range = Files.readString(Paths.get("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            int start = Integer.parseInt(range.split("\\s+")[0]);
            return start > LOWEST_PORT + 1_000 ? start : 32_768;
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }

    /** Inside the container: the running Karaf's home (holds deploy/, data/, etc/). */
    public static Path karafBase() {
        return Paths.get(System.getProperty("karaf.base"));
    }

    /**
     * Inside the container: the REST API of this very director, called as its first administrator, once it answers
     * (the servlet registers a little after the director service a test may already hold).
     */
    public static Api containerApi() throws Exception {
        Api api = new Api(Integer.parseInt(System.getProperty(HTTP_PORT_PROPERTY)),
                Paths.get(System.getProperty("karaf.data")));
        try {
            int https = Integer.parseInt(System.getProperty(HTTPS_PORT_PROPERTY));
            eventually("REST API up", Duration.ofSeconds(90), () -> api.isUpForGood(https));
        } catch (AssertionError e) {
            BootDiagnostics.print(Paths.get(System.getProperty("karaf.data")), testClass(), api.lastUpAnswer);
            throw e;
        }
        return api;
    }

    /** The fully qualified name of the IT class that calls this, as its kept logs are named. */
    private static String testClass() {
        return StackWalker.getInstance().walk(frames -> frames.map(StackWalker.StackFrame::getClassName)
                .filter(c -> c.endsWith("IT")).findFirst().orElse("unknown-IT"));
    }

    /** The first administrator's password, as the director wrote it at its first start under karaf.data. */
    public static String adminPassword(Path karafData) {
        Path file = karafData.resolve(ADMIN_PASSWORD_FILE);
        try {
            // the first line that is neither empty nor a # comment
            return Files.readAllLines(file).stream().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).findFirst()
                    .orElseThrow(() -> new AssertionError("empty " + file));
        } catch (IOException e) {
            throw new UncheckedIOException("no administrator password in " + file + " (yet)", e);
        }
    }

    /** The value of an Authorization header for HTTP Basic. */
    public static String basic(String user, String password) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString(
                (user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * Keeps the container's karaf.log of a failed test under target/itest-logs (the unpacked runtime folder is
     * deleted by Pax Exam; keeping it on every run would fill the disk).
     */
    public static TestWatcher keepLogOnFailure() {
        return new TestWatcher() {
            /**
             * Before the test (and its @Before) inside the container: waits until Karaf has installed its boot
             * features. Pax Exam runs the test once the injected services exist, which can be while the features
             * service still refreshes bundles; a class the probe loads in that moment (Jackson's, once) failed.
             */
            @Override
            protected void starting(Description d) {
                awaitBootFeatures();
            }

            @Override
            protected void failed(Throwable e, Description d) {
                String dir = System.getProperty(LOG_DIR_PROPERTY);
                String data = System.getProperty("karaf.data");
                if (dir == null || data == null) {
                    return;
                }
                try {
                    Path out = Files.createDirectories(Paths.get(dir));
                    Files.copy(Paths.get(data, "log", "karaf.log"),
                            out.resolve(d.getClassName() + "." + d.getMethodName() + "-karaf.log"),
                            StandardCopyOption.REPLACE_EXISTING);
                } catch (IOException ignored) {
                    // the test's own failure is what matters
                }
            }
        };
    }

    /** Waits, bounded, for {@link #BOOT_FINISHED}; does nothing outside an OSGi container. */
    static void awaitBootFeatures() {
        org.osgi.framework.Bundle probe = org.osgi.framework.FrameworkUtil.getBundle(DirectorTestSupport.class);
        if (probe == null || probe.getBundleContext() == null) {
            return; // a test that starts the distribution as a process of its own
        }
        long deadline = System.nanoTime() + BOOT_FEATURES.toNanos();
        while (probe.getBundleContext().getServiceReference(BOOT_FINISHED) == null) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Karaf's boot features were not installed within "
                        + BOOT_FEATURES.toSeconds() + " s");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for the boot features", e);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- waiting

    /**
     * Waits until the director has ended its start-up recovery: until then every call answers "starting" (REST 503),
     * and Pax Exam injects the service as soon as it is registered.
     */
    public static void awaitReady(org.conpaas.api.director.Director director) throws Exception {
        eventually("the director ready", Duration.ofSeconds(90), () -> {
            try {
                director.version();
                return true;
            } catch (org.conpaas.api.StartingException starting) {
                return false;
            }
        });
    }

    /** Polls until the condition holds; fails with the message after the timeout. Bounded in time, never hangs. */
    public static void eventually(String message, Duration timeout, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Throwable last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (Boolean.TRUE.equals(condition.call())) {
                    return;
                }
                last = null;
            } catch (Exception | AssertionError e) {
                last = e;
            }
            Thread.sleep(200);
        }
        AssertionError error = new AssertionError(message + " (not within " + timeout.toSeconds() + " s)");
        if (last != null) {
            error.initCause(last);
        }
        throw error;
    }

    /**
     * Waits until the director's Prometheus page ({@code GET /api/v1/metrics}, as the first administrator of the
     * director this test runs in) shows {@code metric} of the node {@code nodeId} at {@code atLeast} or more, and
     * answers it. The director samples its nodes every loadSamplePeriodSeconds.
     */
    public static double awaitNodeMetric(String metric, String nodeId, double atLeast, Duration within)
            throws Exception {
        Api admin = new Api(Integer.getInteger(HTTP_PORT_PROPERTY), Path.of(System.getProperty("karaf.data")));
        double[] seen = {Double.NaN};
        String[] page = {""};
        try {
            eventually(metric + " of " + nodeId + " at least " + atLeast, within, () -> {
                page[0] = admin.getText("/metrics").body;
                seen[0] = nodeMetric(page[0], metric, nodeId);
                return seen[0] >= atLeast;
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last seen " + seen[0] + " in:\n" + page[0], e);
        }
        return seen[0];
    }

    /** The value of {@code metric} labelled with {@code node="nodeId"} in a Prometheus text page; NaN without it. */
    static double nodeMetric(String page, String metric, String nodeId) {
        for (String line : page.split("\n")) {
            if (line.startsWith(metric + "{") && line.contains("node=\"" + nodeId + "\"}")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return Double.NaN;
    }

    // ---------------------------------------------------------------------------------------------- REST

    /** One HTTP answer: status, raw body, and the body parsed as JSON when it is JSON. */
    public static final class Reply {
        public final int status;
        public final String body;
        public final String contentType;

        Reply(int status, String body, String contentType) {
            this.status = status;
            this.body = body;
            this.contentType = contentType;
        }

        public JsonNode json() {
            try {
                return mapper().readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (HTTP " + status + "): " + body, e);
            }
        }

        /** Asserts a 2xx answer and returns its JSON. */
        public JsonNode ok() {
            assertTrue("expected success, got HTTP " + status + ": " + body, status >= 200 && status < 300);
            return body.isEmpty() ? mapper().nullNode() : json();
        }

        /** Asserts an RFC 7807 problem with this status whose detail contains every fragment (case-insensitive). */
        public JsonNode problem(int expectedStatus, String... detailFragments) {
            assertEquals("HTTP status of: " + body, expectedStatus, status);
            assertTrue("content type of a problem: " + contentType,
                    contentType != null && contentType.startsWith("application/problem+json"));
            JsonNode p = json();
            assertEquals("status field of " + body, expectedStatus, p.path("status").asInt());
            assertTrue("title of " + body, !p.path("title").asText().isBlank());
            String detail = p.path("detail").asText();
            for (String fragment : detailFragments) {
                assertTrue("detail '" + detail + "' should mention '" + fragment + "'",
                        detail.toLowerCase().contains(fragment.toLowerCase()));
            }
            return p;
        }

        @Override
        public String toString() {
            return "HTTP " + status + " " + body;
        }
    }

    /**
     * A minimal client of the director's REST API under http://127.0.0.1:port/api/v1, logged in with HTTP Basic
     * (the Authorization header is computed per request, so a password file written after the boot is read).
     */
    public static final class Api {
        private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(120);
        private static final Duration UP_POLL_TIMEOUT = Duration.ofSeconds(5);
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private final int port;
        private final String base;
        private final java.util.function.Supplier<String> authorization;
        /** What {@link #isUpForGood(int)} last got: a status and the start of the body, or the failure. */
        private volatile String lastUpAnswer = "none yet";

        /** Logs in as the first administrator, whose password the director keeps under {@code karafData}. */
        public Api(int port, Path karafData) {
            this(port, () -> basic("admin", adminPassword(karafData)));
        }

        /** @param authorization the Authorization header of every request; null (or a null value) for none */
        public Api(int port, java.util.function.Supplier<String> authorization) {
            this.port = port;
            this.base = "http://127.0.0.1:" + port + "/api/v1";
            this.authorization = authorization;
        }

        /** The same API as another user. */
        public Api as(String user, String password) {
            return new Api(port, () -> basic(user, password));
        }

        public Reply get(String path) {
            return send(HttpRequest.newBuilder(uri(path)).GET());
        }

        public Reply delete(String path) {
            return send(HttpRequest.newBuilder(uri(path)).DELETE());
        }

        /** POSTs a JSON body (an object mapped by Jackson, or a raw String sent as is). */
        public Reply post(String path, Object body) {
            String text;
            try {
                text = body instanceof String ? (String) body : mapper().writeValueAsString(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(text)));
        }

        /** PUTs a JSON body (an object mapped by Jackson). */
        public Reply put(String path, Object body) {
            try {
                return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(mapper().writeValueAsString(body))));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** PATCHes a JSON body (an object mapped by Jackson). */
        public Reply patch(String path, Object body) {
            try {
                return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                        .method("PATCH", HttpRequest.BodyPublishers.ofString(mapper().writeValueAsString(body))));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** GETs a text/plain resource (logs, the startup script). */
        public Reply getText(String path) {
            return send(HttpRequest.newBuilder(uri(path)).header("Accept", "text/plain").GET());
        }

        /** PUTs a text/plain body. */
        public Reply putText(String path, String text) {
            return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "text/plain")
                    .PUT(HttpRequest.BodyPublishers.ofString(text)));
        }

        /** POSTs one file as multipart/form-data field {@code field}. */
        public Reply postFile(String path, String field, String fileName, byte[] content) {
            String boundary = "conpaas-itest-" + Long.toHexString(System.nanoTime());
            java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
            byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\""
                    + fileName + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            body.writeBytes(head);
            body.writeBytes(content);
            body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "multipart/form-data; boundary="
                    + boundary).POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
        }

        /** The REST API answers (used to wait for the director after a boot); needs no credentials. */
        private boolean isUp() {
            try {
                // short: a poll that reached the Jetty which a first start restarts (for the HTTPS settings) can stay
                // unanswered; two CI runs lost their whole 90 s to one such request under the usual 120 s
                Reply reply = send(HttpRequest.newBuilder(uri("/version")).timeout(UP_POLL_TIMEOUT).GET(), false);
                lastUpAnswer = reply.status + " " + reply.body.substring(0, Math.min(200, reply.body.length()));
                return reply.status == 200;
            } catch (RuntimeException e) {
                lastUpAnswer = e.toString();
                return false;
            }
        }

        /**
         * Whether the director serves its API for good: its HTTPS port listens, so the one Jetty restart of a first
         * start (for the HTTPS settings, after which a request sent just before could stay unanswered) is behind
         * it, and {@code /version} answers.
         */
        public boolean isUpForGood(int httpsPort) {
            try (java.net.Socket probe = new java.net.Socket()) {
                probe.connect(new java.net.InetSocketAddress("127.0.0.1", httpsPort), 1000);
            } catch (IOException e) {
                lastUpAnswer = "HTTPS port " + httpsPort + " not listening yet: " + e;
                return false;
            }
            return isUp();
        }

        private URI uri(String path) {
            return URI.create(base + path);
        }

        private Reply send(HttpRequest.Builder request) {
            return send(request, true);
        }

        private Reply send(HttpRequest.Builder request, boolean logIn) {
            String header = logIn && authorization != null ? authorization.get() : null;
            if (header != null) {
                request.header("Authorization", header);
            }
            try {
                HttpRequest given = request.build();
                HttpRequest.Builder completed = HttpRequest.newBuilder(given, (name, value) -> true);
                if (given.timeout().isEmpty()) {
                    completed.timeout(REQUEST_TIMEOUT);
                }
                if (given.headers().firstValue("Accept").isEmpty()) {
                    completed.header("Accept", "application/json");
                }
                HttpRequest built = completed.build();
                HttpResponse<String> r = http.send(built, HttpResponse.BodyHandlers.ofString());
                return new Reply(r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse(null));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Builds the small JSON bodies of the API: json("roles", Map.of("node", 2)). */
    public static Map<String, Object> json(Object... keyValues) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    /** The lines of a helloworld operation result {"helloworld": "Received helloworld from node-1\n..."}. */
    public static List<String> helloLines(JsonNode result) {
        String text = result.path("helloworld").asText();
        List<String> lines = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                lines.add(line.trim());
            }
        }
        return lines;
    }

    // ---------------------------------------------------------------------------------------------- agents

    /**
     * The agent process of a node. The local cloud starts each agent as {@code conpaas-agent <dir>/agent.properties}
     * (docs/agent-protocol.md); the JVM keeps that path among its arguments, and the file says which node it is.
     * Returns the java process (not a wrapper shell) whose agent.properties names this node id, application id and
     * address; if several directors run on this host, the one whose work directory is under {@code home} wins.
     */
    public static Optional<ProcessHandle> agentProcess(String nodeId, long applicationId, String address, Path home) {
        List<ProcessHandle> matches = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(p -> {
            Optional<Path> props = agentPropertiesOf(p);
            if (props.isEmpty() || !isJava(p)) {
                return;
            }
            Properties cfg = load(props.get());
            if (nodeId.equals(cfg.getProperty("conpaas.node.id"))
                    && Long.toString(applicationId).equals(cfg.getProperty("conpaas.application.id"))
                    && address.equals(cfg.getProperty("conpaas.agent.address"))) {
                matches.add(p);
            }
        });
        if (matches.size() > 1 && home != null) {
            Path h = home.toAbsolutePath().normalize();
            Predicate<ProcessHandle> underHome = p -> agentPropertiesOf(p).map(f -> f.toAbsolutePath().normalize()
                    .startsWith(h)).orElse(false);
            return matches.stream().filter(underHome).findFirst().or(() -> matches.stream().findFirst());
        }
        return matches.stream().findFirst();
    }

    /**
     * Every live agent JVM of an application of this director, whatever its node. Only agents whose files lie below
     * this Karaf home count: another director on the host (a parallel build) has applications with the same ids, and
     * its processes are not ours to count or kill.
     */
    public static List<ProcessHandle> agentProcesses(long applicationId) {
        return agentProcesses(applicationId, karafBase());
    }

    /** The same for a director unpacked in {@code karafHome} (tests that run a distribution outside Pax Exam). */
    public static List<ProcessHandle> agentProcesses(long applicationId, Path karafHome) {
        Path home = karafHome.toAbsolutePath().normalize();
        List<ProcessHandle> found = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(p -> agentPropertiesOf(p).ifPresent(f -> {
            if (isJava(p) && f.toAbsolutePath().normalize().startsWith(home)
                    && Long.toString(applicationId).equals(load(f).getProperty("conpaas.application.id"))) {
                found.add(p);
            }
        }));
        return found;
    }

    private static boolean isJava(ProcessHandle p) {
        return p.info().command().map(c -> c.endsWith("/java") || c.endsWith("java")).orElse(false);
    }

    private static Optional<Path> agentPropertiesOf(ProcessHandle p) {
        Optional<String[]> args = p.info().arguments();
        if (args.isEmpty()) {
            return Optional.empty();
        }
        for (String a : args.get()) {
            String value = a.contains("=") ? a.substring(a.indexOf('=') + 1) : a;
            if (value.endsWith("agent.properties") && Files.isRegularFile(Paths.get(value))) {
                return Optional.of(Paths.get(value));
            }
        }
        return Optional.empty();
    }

    private static Properties load(Path file) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            // an agent that just exited: treat as no match
        }
        return p;
    }

    /** Kills (by PID only) processes a test started and that are still alive; used in finally blocks. */
    public static void killAll(Iterable<Long> pids) {
        for (Long pid : pids) {
            ProcessHandle.of(pid).ifPresent(p -> {
                p.destroy();
                try {
                    p.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception e) {
                    p.destroyForcibly();
                }
            });
        }
    }

    public static void check(boolean condition, String message) {
        if (!condition) {
            fail(message);
        }
    }
}
