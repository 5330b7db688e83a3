package org.conpaas.core.internal.bootstrap;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.conpaas.api.AgentException;
import org.conpaas.api.cloud.HostShare;
import org.conpaas.api.service.ServiceNode;
import org.conpaas.core.internal.agent.HttpsAgentClient;
import org.conpaas.core.internal.security.BouncyCastlePki;
import org.conpaas.core.internal.testing.BuiltAgent;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The agent installed once in a machine's shared folder, from the real runtime tarball, and its class-data-sharing
 * archive made by a training run of the real agent: the agent then loads its own classes (Felix's, the bundles'), and
 * those of the calls the director makes (TLS, JSON), from that archive, also in another installation of the same
 * runtime at another path, which gets the director's copy of the archive at once.
 */
public class SharedAgentsTest {

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private static final String JAVA_HOME = System.getProperty("java.home");

    private BouncyCastlePki pki;
    private AgentArchiveStore store;
    private AgentClassArchive classArchive;
    private SharedAgents shared;

    @Before
    public void setUp() throws Exception {
        pki = new BouncyCastlePki(temp.newFolder("pki").toPath());
        store = new AgentArchiveStore(temp.newFolder("cds").toPath(), JAVA_HOME);
        classArchive = new AgentClassArchive(pki, new HttpsAgentClient(pki), JAVA_HOME, store);
        shared = new SharedAgents(classArchive);
    }

    @After
    public void tearDown() {
        classArchive.close();
    }

    @Test
    public void theAgentIsInstalledOnceReadableByEveryNodeAndNeverHalfMade() throws Exception {
        classArchive.close(); // no training run: the test below has one
        Path share = temp.newFolder("share").toPath();
        Path onNode = Path.of("/var/lib/conpaas-host-share");
        // a share seen elsewhere by the nodes (as in a container): installed, but no archive (it would not match)
        String home = shared.agentHome(new HostShare(share, onNode), BuiltAgent.runtimeTarball()).orElseThrow();
        assertTrue(home, home.matches("/var/lib/conpaas-host-share/agent-[0-9a-f]{16}/conpaas-agent"));
        Path installed = share.resolve(onNode.relativize(Path.of(home)));
        assertEquals(home, shared.agentHome(new HostShare(share, onNode), BuiltAgent.runtimeTarball()).orElseThrow());
        try (Stream<Path> entries = Files.list(share)) {
            assertEquals("one installation, no hidden leftovers", List.of(installed.getParent()), entries.toList());
        }
        assertEquals("rwxr-xr-x", mode(installed.resolve("bin")));
        assertEquals("rwxr-xr-x", mode(installed.resolve(SharedAgents.LAUNCHER)));
        assertEquals("rw-r--r--", mode(installed.resolve("lib/conpaas-agent.jar")));
        try (Stream<Path> bundles = Files.list(installed.resolve("bundles"))) {
            bundles.forEach(bundle -> assertEquals(bundle.toString(), "rw-r--r--", mode(bundle)));
        }
        Path notAnAgent = Files.writeString(temp.getRoot().toPath().resolve("empty.tar.gz"), "not a tarball");
        assertTrue("a bad runtime means: download", shared.agentHome(new HostShare(share, share), notAnAgent)
                .isEmpty());
    }

    @Test
    public void theTrainingRunMakesAnArchiveEveryInstallationOfTheRuntimeLoadsItsClassesFrom() throws Exception {
        classArchive.close(); // the test runs the training itself, in the foreground
        Path share = temp.newFolder("training-share").toPath();
        Path trained = Path.of(shared.agentHome(new HostShare(share, share), BuiltAgent.runtimeTarball())
                .orElseThrow());
        HttpsAgentClient client = new HttpsAgentClient(pki);
        assertTrue(new AgentClassArchive(pki, client, JAVA_HOME, store).make(trained));
        Path archive = trained.resolve(AgentClassArchive.ARCHIVE);
        assertEquals("rw-r--r--", mode(archive));
        try (Stream<Path> lib = Files.list(archive.getParent())) {
            assertEquals("no partial archive left", 0, lib.filter(p -> p.toString().endsWith(".partial")).count());
        }
        assertTrue("the director keeps a copy", AgentArchiveStore.complete(store.fileFor(trained)));

        // another machine's share (or this one's, cleaned): the copy is there as soon as the installation is
        Path other = temp.newFolder("other-share").toPath();
        try (AgentClassArchive another = new AgentClassArchive(pki, client, JAVA_HOME, store)) {
            Path home = Path.of(new SharedAgents(another).agentHome(new HostShare(other, other),
                    BuiltAgent.runtimeTarball()).orElseThrow());
            assertTrue("the archive came with the installation", Files.isRegularFile(home.resolve(
                    AgentClassArchive.ARCHIVE)));
            assertNodeLoadsFromTheArchive(home, client);
        }
    }

    /** A node's start: -Xshare:on fails the JVM if the archive cannot be used at all. */
    private void assertNodeLoadsFromTheArchive(Path home, HttpsAgentClient client) throws Exception {
        Path work = temp.newFolder("node").toPath();
        int port = AgentClassArchive.freePort();
        Path properties = AgentClassArchive.trainingNode(pki, work, port);
        ProcessBuilder builder = new ProcessBuilder(home.resolve(SharedAgents.LAUNCHER).toString(),
                work.relativize(properties).toString()).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(work.resolve("agent.out").toFile());
        builder.environment().put("JAVA_HOME", JAVA_HOME);
        builder.environment().put("AGENT_JAVA_OPTS", "-Xshare:on -Xlog:class+load=info");
        Process agent = builder.start();
        ServiceNode node = new ServiceNode(AgentClassArchive.TRAINING_NODE, "-", "127.0.0.1", port, "-", "-");
        try {
            awaitStatus(client, node, agent);
            client.metrics(node, Duration.ofSeconds(10));
        } finally {
            agent.destroy();
            assertTrue("the agent stops on SIGTERM", agent.waitFor(30, TimeUnit.SECONDS));
        }
        String output = Files.readString(work.resolve("agent.out"), StandardCharsets.UTF_8);
        for (String fromArchive : List.of("org.apache.felix.framework.Felix ", "org.conpaas.agent.core.",
                "sun.security.ssl.", "org.conpaas.service.support.json.Json ")) {
            assertTrue(fromArchive + " classes come from the archive: " + tail(output), output.lines().anyMatch(
                    line -> line.contains(fromArchive) && line.contains("shared objects file (top)")));
        }
    }

    private static void awaitStatus(HttpsAgentClient client, ServiceNode node, Process agent) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                client.status(node, Duration.ofSeconds(5));
                return;
            } catch (AgentException notYet) {
                assertTrue("the agent runs", agent.isAlive());
                assertTrue("the agent answers within 60 s", System.nanoTime() < deadline);
                Thread.sleep(100);
            }
        }
    }

    private static String mode(Path path) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String tail(String output) {
        return output.substring(Math.max(0, output.length() - 2000));
    }
}
