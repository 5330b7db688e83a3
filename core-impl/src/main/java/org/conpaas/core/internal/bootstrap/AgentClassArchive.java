package org.conpaas.core.internal.bootstrap;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.conpaas.api.AgentException;
import org.conpaas.api.service.ServiceNode;
import org.conpaas.core.internal.agent.AgentClient;
import org.conpaas.core.internal.security.NodeCredentials;
import org.conpaas.core.internal.security.Pki;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives a shared agent installation its class-data-sharing archive ({@code lib/agent.jsa}, which the agent's launcher
 * uses when present). The archive fits every unpacked copy of the same runtime started with the same Java (the
 * launcher names the class path relative to the installation), so the director keeps the one it has in its archive
 * folder ({@code data/cds/agent-<runtime>-<java>.jsa}, where the build ships the one it trained) and copies it into
 * each new installation at once. Without one, it makes it: a training run of the real agent, from that installation,
 * with the director's Java, a throw-away key store of its own on a free port of 127.0.0.1. The director calls it as it
 * calls a node (status, metrics, a log, an operation of a plug-in it lacks: the TLS handshake, the HTTP exchange and
 * the JSON of both answers and problems), then stops it with SIGTERM; the JVM writes the classes it loaded when it
 * exits ({@code -XX:ArchiveClassesAtExit}). Measured: docs/performance.md, sections 4 and 16.
 * <p>
 * The run is the director's own process, never a tenant's node, so no node can put anything into the archive every
 * other node maps. One run at a time, in the background and at a lower priority, once per installation and director
 * run; until the archive is there, nodes start without it.
 */
final class AgentClassArchive implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AgentClassArchive.class);
    static final String ARCHIVE = "lib/agent.jsa";
    static final String TRAINING_NODE = "agent-training";
    private static final long TRAINING_SECONDS = 120;

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    private final Pki pki;
    private final AgentClient agents;
    private final String javaHome;
    private final AgentArchiveStore store;
    private final Set<Path> attempted = ConcurrentHashMap.newKeySet();
    private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "conpaas-agent-class-archive");
        thread.setDaemon(true);
        return thread;
    });

    /** @param store where the director keeps the archives it has, by runtime and Java */
    AgentClassArchive(Pki pki, AgentClient agents, String javaHome, AgentArchiveStore store) {
        this.pki = pki;
        this.agents = agents;
        this.javaHome = javaHome;
        this.store = store;
    }

    /**
     * Gives {@code agentHome} its archive: the director's copy for that runtime and Java at once, else a training run in
     * the background, unless the installation has one or was tried in this run.
     */
    void makeOnce(Path agentHome) {
        if (Files.exists(agentHome.resolve(ARCHIVE)) || store.copyInto(agentHome, agentHome.resolve(ARCHIVE))) {
            return;
        }
        if (!runner.isShutdown() && attempted.add(agentHome)) {
            runner.execute(() -> make(agentHome));
        }
    }

    /** {@code agentHome} was installed anew (its folder had been removed): its archive is to be made again. */
    void forget(Path agentHome) {
        attempted.remove(agentHome);
    }

    /** Runs the training now; true when the archive is in place afterwards. */
    boolean make(Path agentHome) {
        long started = System.nanoTime();
        Path work = null;
        Process agent = null;
        Path partial = AgentArchiveStore.partialFor(agentHome.resolve(ARCHIVE));
        try {
            work = Files.createTempDirectory("conpaas-agent-training-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            int port = freePort();
            Path properties = trainingNode(pki, work, port);
            ProcessBuilder builder = new ProcessBuilder(command(agentHome, properties)).directory(work.toFile())
                    .redirectErrorStream(true).redirectOutput(work.resolve("training.out").toFile());
            builder.environment().put("JAVA_HOME", javaHome);
            // the JVM's remarks on classes it cannot archive (old class versions, JFR events) are not news
            builder.environment().put("AGENT_JAVA_OPTS", "-XX:ArchiveClassesAtExit=" + partial + " -Xlog:cds=off"
                    + " -Xlog:cds+dynamic=off");
            agent = builder.start();
            exercise(new ServiceNode(TRAINING_NODE, "training", "127.0.0.1", port, "-", "-"), agent);
            agent.destroy(); // SIGTERM: the agent stops, and the JVM writes the archive on its way out
            if (!agent.waitFor(TRAINING_SECONDS, TimeUnit.SECONDS)) {
                throw new IOException("the training agent did not stop within " + TRAINING_SECONDS + " s");
            }
            if (!Files.isRegularFile(partial)) {
                throw new IOException("the training agent ended with status " + agent.exitValue()
                        + " and no archive: " + lastLines(work.resolve("training.out")));
            }
            AgentArchiveStore.publish(partial, agentHome.resolve(ARCHIVE));
            LOG.info("class-data-sharing archive of the shared agent made in {} ms: {}",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), agentHome.resolve(ARCHIVE));
            store.keep(agentHome, agentHome.resolve(ARCHIVE));
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.warn("nodes start the shared agent without a class-data-sharing archive: {}", e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            if (agent != null && agent.isAlive()) {
                agent.destroyForcibly(); // the director stops, or the run failed or hung
            }
            try {
                Files.deleteIfExists(partial);
            } catch (IOException ignored) {
                // a partial archive has a name no launcher reads
            }
            if (work != null) {
                SharedAgents.deleteTree(work);
            }
        }
    }

    /** What the director does with every node, once, so that the classes it takes are in the archive too. */
    private void exercise(ServiceNode node, Process agent) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TRAINING_SECONDS);
        while (true) {
            try {
                agents.status(node, CALL_TIMEOUT);
                break;
            } catch (AgentException notYet) {
                if (!agent.isAlive() || System.nanoTime() > deadline) {
                    throw new IOException("the training agent did not answer: " + notYet.getMessage());
                }
                Thread.sleep(100);
            }
        }
        agents.metrics(node, CALL_TIMEOUT);
        agents.log(node, "agent.log", 10);
        try {
            agents.call(node, "training", "none", Map.of("a", 1), Map.of());
        } catch (AgentException expected) {
            // the agent has no such plug-in: its problem answer is part of what every node says some day
        }
    }

    private static List<String> command(Path agentHome, Path properties) {
        String launcher = agentHome.resolve(SharedAgents.LAUNCHER).toString();
        // lower priority: nodes starting meanwhile come first
        return Files.isExecutable(Path.of("/usr/bin/nice"))
                ? List.of("/usr/bin/nice", "-n", "10", launcher, properties.toString())
                : List.of(launcher, properties.toString());
    }

    /** A node of nobody's: credentials of the director's CA for {@value #TRAINING_NODE}, used once, then deleted. */
    static Path trainingNode(Pki pki, Path work, int port) throws IOException {
        NodeCredentials credentials = pki.issueNodeCredentials(TRAINING_NODE, "conpaas", 0);
        Files.write(work.resolve("keystore.p12"), credentials.keyStore());
        Files.write(work.resolve("truststore.p12"), credentials.trustStore());
        String properties = "conpaas.node.id=" + TRAINING_NODE + "\n"
                + "conpaas.agent.address=127.0.0.1\n"
                + "conpaas.agent.port=" + port + "\n"
                + "conpaas.agent.workDir=" + work + "\n"
                + "conpaas.agent.keystore=keystore.p12\n"
                + "conpaas.agent.truststore=truststore.p12\n"
                + "conpaas.agent.storePassword=" + credentials.password() + "\n";
        Path file = work.resolve("agent.properties");
        Files.writeString(file, properties, StandardCharsets.ISO_8859_1);
        return file;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String lastLines(Path output) {
        try {
            List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(no output)";
        }
    }

    @Override
    public void close() {
        runner.shutdownNow(); // a training run under way stops its agent (interrupted)
        try {
            runner.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
