package org.conpaas.core.internal.agent;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import org.conpaas.api.AgentException;
import org.conpaas.api.service.ServiceNode;
import org.conpaas.core.internal.security.BouncyCastlePki;
import org.conpaas.core.internal.security.NodeCredentials;
import org.conpaas.core.internal.testing.BuiltAgent;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * Starts a real agent process from the built runtime tarball on 127.0.0.77 and drives it with the director's
 * client: status, plug-in install, operations (JSON and files), logs, refused peers, and the process's end.
 */
public class AgentEndToEndTest {

    private static final String ADDRESS = "127.0.0.77";

    private Path root;
    private Process agent;
    private BouncyCastlePki pki;
    private HttpsAgentClient client;
    private ServiceNode node;
    private NodeCredentials credentials;

    @Before
    public void startAgent() throws Exception {
        root = Files.createTempDirectory("agent-e2e");
        run(List.of("tar", "xzf", BuiltAgent.runtimeTarball().toString(), "-C", root.toString()));
        Path runtime = root.resolve("conpaas-agent");
        Path workDir = Files.createDirectories(root.resolve("node-7"));

        pki = new BouncyCastlePki(root.resolve("pki"));
        credentials = pki.issueNodeCredentials("node-7", "alice", 42);
        Files.write(workDir.resolve("node.p12"), credentials.keyStore());
        Files.write(workDir.resolve("ca.p12"), credentials.trustStore());
        int port = freePort();
        Files.writeString(workDir.resolve("agent.properties"), String.join("\n",
                "conpaas.node.id=node-7", "conpaas.node.role=web", "conpaas.user.id=alice",
                "conpaas.application.id=42", "conpaas.service.id=3",
                "conpaas.agent.address=" + ADDRESS, "conpaas.agent.port=" + port,
                "conpaas.agent.keystore=node.p12", "conpaas.agent.truststore=ca.p12",
                "conpaas.agent.storePassword=" + credentials.password(),
                "conpaas.prop.greeting=hello from the director", ""));

        ProcessBuilder builder = new ProcessBuilder(runtime.resolve("bin/conpaas-agent").toString(),
                workDir.resolve("agent.properties").toString())
                .redirectErrorStream(true).redirectOutput(root.resolve("agent.out").toFile());
        builder.environment().put("AGENT_JAVA_OPTS", "-Xmx48m -XX:+UseSerialGC -Xss512k");
        agent = builder.start();

        client = new HttpsAgentClient(pki);
        node = new ServiceNode("node-7", "web", ADDRESS, port, "local", "vm-7");
        awaitStatus();
    }

    @After
    public void cleanUp() throws Exception {
        if (agent != null && agent.isAlive()) {
            agent.destroyForcibly();
            agent.waitFor(10, TimeUnit.SECONDS);
        }
        if (root != null) {
            try (Stream<Path> files = Files.walk(root)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    @Test
    public void theDirectorDrivesARealAgent() throws Exception {
        AgentStatus status = client.status(node, Duration.ofSeconds(5));
        assertEquals("node-7", status.nodeId());
        assertEquals("the script execs java, so the agent's pid is the started process", agent.pid(), status.pid());
        assertEquals(Map.of(), status.plugins());

        byte[] bundle = Files.readAllBytes(BuiltAgent.testPluginJar());
        client.installPlugin(node, "echo", bundle);
        client.installPlugin(node, "echo", bundle); // same bytes: a no-op that must still succeed
        assertEquals(Map.of("echo", "0.1.0.SNAPSHOT"), client.status(node, Duration.ofSeconds(5)).plugins());

        Path upload = Files.writeString(root.resolve("notes.txt"), "uploaded through multipart");
        @SuppressWarnings("unchecked")
        Map<String, Object> echoed = (Map<String, Object>) client.call(node, "echo", "echo",
                Map.of("answer", 42, "list", List.of("a", "b")), Map.of("notes", upload));
        assertEquals("node-7", echoed.get("nodeId"));
        assertEquals("web", echoed.get("role"));
        assertEquals(42, echoed.get("applicationId"));
        assertEquals(3, echoed.get("serviceId"));
        assertEquals(Map.of("greeting", "hello from the director"), echoed.get("properties"));
        assertEquals(Map.of("answer", 42, "list", List.of("a", "b")), echoed.get("params"));
        assertEquals(Map.of("notes", "uploaded through multipart"), echoed.get("files"));
        try (Stream<Path> left = Files.list(root.resolve("node-7/uploads"))) {
            assertEquals("uploads are deleted after the call", 0, left.count());
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> ran = (Map<String, Object>) client.call(node, "echo", "run",
                Map.of("command", "echo ran in $(pwd)"), Map.of());
        assertEquals("ran in " + root.resolve("node-7").toRealPath() + "\n", ran.get("output"));
        assertEquals(0, ran.get("exitCode"));

        assertMessage("node node-7 refused operation reject of plugin echo: the echo plugin rejects this on purpose"
                + " (HTTP 400)", () -> client.call(node, "echo", "reject", Map.of(), Map.of()));
        assertMessage("node node-7 refused operation fail of plugin echo: the echo plugin failed on purpose"
                + " (HTTP 500)", () -> client.call(node, "echo", "fail", Map.of(), Map.of()));
        assertMessage("node node-7 refused operation x of plugin nope: plugin nope is not installed (HTTP 404)",
                () -> client.call(node, "nope", "x", Map.of(), Map.of()));
        assertMessage("node node-7 refused reading log ../agent.properties: '../agent.properties' is not a plain "
                + "file name (HTTP 400)", () -> client.log(node, "../agent.properties", 0));

        String tail = client.log(node, "agent.log", 2);
        assertEquals(tail, 2, tail.split("\n").length);
        String whole = client.log(node, "agent.log", 0);
        assertTrue(whole, whole.contains("agent node-7 listening on https://" + ADDRESS));
        assertTrue(whole, whole.contains("agent plug-in echo registered"));
        assertTrue(whole.endsWith(tail));

        @SuppressWarnings("unchecked")
        Map<String, Object> metrics = new ObjectMapper().readValue(get(pki.agentClientContext(), "/v1/metrics"),
                Map.class);
        long rssKb = ((Number) metrics.get("rssKb")).longValue();
        System.out.println("agent metrics after the calls: " + metrics);
        assertTrue("rss " + rssKb, rssKb > 10_000 && rssKb < 400_000);

        // a long-lived process of a plug-in must end with the agent
        @SuppressWarnings("unchecked")
        Map<String, Object> spawned = (Map<String, Object>) client.call(node, "echo", "spawn",
                Map.of("name", "sleeper", "command", "echo sleeping; exec sleep 300"), Map.of());
        long sleeperPid = ((Number) spawned.get("pid")).longValue();
        assertTrue(ProcessHandle.of(sleeperPid).map(ProcessHandle::isAlive).orElse(false));

        run(List.of("kill", "-TERM", Long.toString(agent.pid())));
        assertTrue("the agent must exit on SIGTERM", agent.waitFor(20, TimeUnit.SECONDS));
        assertEquals("the JVM reports 128 + SIGTERM after running its shutdown hooks", 143, agent.exitValue());
        assertFalse(agent.isAlive());
        assertGone(sleeperPid);
        String log = Files.readString(root.resolve("node-7/logs/agent.log"));
        assertTrue(log, log.contains("stopped sleeper"));
        assertTrue(log, log.contains("agent framework stopped"));
        assertMessage("node node-7 refused the connection at " + ADDRESS + ":" + node.port(),
                () -> client.status(node, Duration.ofSeconds(2)));
    }

    @Test
    public void theAgentRefusesPeersItDoesNotTrust() throws Exception {
        // positive control: the director's own context is accepted
        assertTrue(get(pki.agentClientContext(), "/v1/status").contains("\"nodeId\":\"node-7\""));

        // a client whose certificate comes from another CA (it trusts the right CA, so only the agent can refuse)
        BouncyCastlePki foreign = new BouncyCastlePki(root.resolve("foreign-pki"));
        NodeCredentials stranger = foreign.issueNodeCredentials("node-7", "alice", 42);
        assertRefused(TestTls.context(stranger, credentials));

        // the right CA but an agent of another application
        assertRefused(TestTls.context(pki.issueNodeCredentials("node-8", "alice", 43), credentials));
        // a node of another user, even one whose application has the same number, is refused too
        assertRefused(TestTls.context(pki.issueNodeCredentials("node-10", "bob", 42), credentials));
        // an agent of the same application is accepted
        assertTrue(get(TestTls.context(pki.issueNodeCredentials("node-9", "alice", 42), credentials), "/v1/status")
                .contains("node-7"));

        // and the director's client refuses an agent of another CA
        HttpsAgentClient foreignDirector = new HttpsAgentClient(foreign);
        try {
            foreignDirector.status(node, Duration.ofSeconds(5));
            fail("a director of another CA must not trust this agent");
        } catch (AgentException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("node node-7 "));
        }
    }

    private void assertRefused(SSLContext context) {
        try {
            String body = get(context, "/v1/status");
            fail("the agent answered a peer it must refuse: " + body);
        } catch (IOException expected) {
            // handshake failure or the connection closed by the agent
        }
    }

    /** A raw GET without host name checks (agent certificates carry no addresses). */
    private String get(SSLContext context, String path) throws IOException {
        HttpsURLConnection connection = (HttpsURLConnection) new URL(
                "https://" + ADDRESS + ":" + node.port() + path).openConnection();
        connection.setSSLSocketFactory(context.getSocketFactory());
        connection.setHostnameVerifier((host, session) -> true);
        connection.setConnectTimeout(5_000);
        connection.setReadTimeout(5_000);
        try {
            return new String(connection.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            connection.disconnect();
        }
    }

    private void awaitStatus() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        AgentException last = null;
        while (System.nanoTime() < deadline) {
            if (!agent.isAlive()) {
                fail("the agent exited with " + agent.exitValue() + ": " + Files.readString(root.resolve("agent.out"))
                        + logOrEmpty());
            }
            try {
                client.status(node, Duration.ofSeconds(2));
                return;
            } catch (AgentException e) {
                last = e;
                Thread.sleep(200);
            }
        }
        throw new AssertionError("the agent did not answer within 30 s: " + last.getMessage() + logOrEmpty());
    }

    private String logOrEmpty() throws IOException {
        Path log = root.resolve("node-7/logs/agent.log");
        return Files.exists(log) ? "\n" + Files.readString(log) : "";
    }

    private static void assertMessage(String expected, Runnable call) {
        try {
            call.run();
            fail("expected: " + expected);
        } catch (AgentException e) {
            assertEquals(expected, e.getMessage());
        }
    }

    private static void assertGone(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && !isZombie(pid)) {
            if (System.nanoTime() > deadline) {
                fail("process " + pid + " outlived the agent");
            }
            Thread.sleep(50);
        }
    }

    private static boolean isZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException e) {
            return true;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(ADDRESS))) {
            return socket.getLocalPort();
        }
    }

    private static void run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(command + " failed: " + output);
        }
    }
}
