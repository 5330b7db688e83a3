package org.conpaas.core.internal.bootstrap;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.conpaas.core.internal.security.NodeCredentials;
import org.conpaas.core.internal.security.Pki;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the class-data-sharing archive of a shared agent installation ({@code lib/agent.jsa}, which the agent's
 * launcher uses when present): a training run of the real agent, from that installation, with the director's Java,
 * a throw-away key store of its own on a free port of 127.0.0.1, which stops once started
 * ({@code conpaas.agent.exitWhenStarted}); the JVM writes the classes it loaded when it exits
 * ({@code -XX:ArchiveClassesAtExit}). Measured: a third less CPU per agent start (docs/performance.md).
 * <p>
 * The run is the director's own process, never a tenant's node, so no node can put anything into the archive every
 * other node maps. One run at a time, in the background and at a lower priority, once per installation and director
 * run; until the archive is there, nodes start without it.
 */
final class AgentClassArchive implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AgentClassArchive.class);
    static final String ARCHIVE = "lib/agent.jsa";
    private static final long TRAINING_SECONDS = 120;

    private final Pki pki;
    private final String javaHome;
    private final Set<Path> attempted = ConcurrentHashMap.newKeySet();
    private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "conpaas-agent-class-archive");
        thread.setDaemon(true);
        return thread;
    });

    AgentClassArchive(Pki pki, String javaHome) {
        this.pki = pki;
        this.javaHome = javaHome;
    }

    /** Starts the training run for {@code agentHome} unless its archive exists or was tried in this run. */
    void makeOnce(Path agentHome) {
        if (!Files.exists(agentHome.resolve(ARCHIVE)) && attempted.add(agentHome)) {
            runner.execute(() -> make(agentHome));
        }
    }

    /** Runs the training now; true when the archive is in place afterwards. */
    boolean make(Path agentHome) {
        long started = System.nanoTime();
        Path work = null;
        Process agent = null;
        Path partial = agentHome.resolve(ARCHIVE + "." + UUID.randomUUID() + ".partial");
        try {
            work = Files.createTempDirectory("conpaas-agent-training-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path properties = trainingNode(pki, work);
            ProcessBuilder builder = new ProcessBuilder(command(agentHome, properties)).directory(work.toFile())
                    .redirectErrorStream(true).redirectOutput(work.resolve("training.out").toFile());
            builder.environment().put("JAVA_HOME", javaHome);
            // the JVM's remarks on classes it cannot archive (old class versions, JFR events) are not news
            builder.environment().put("AGENT_JAVA_OPTS", "-XX:ArchiveClassesAtExit=" + partial + " -Xlog:cds=off"
                    + " -Xlog:cds+dynamic=off");
            agent = builder.start();
            if (!agent.waitFor(TRAINING_SECONDS, TimeUnit.SECONDS)) {
                agent.destroyForcibly();
                throw new IOException("the training run did not end within " + TRAINING_SECONDS + " s");
            }
            if (agent.exitValue() != 0 || !Files.isRegularFile(partial)) {
                throw new IOException("the training run ended with status " + agent.exitValue() + ": "
                        + lastLines(work.resolve("training.out")));
            }
            Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-r--r--"));
            Files.move(partial, agentHome.resolve(ARCHIVE), StandardCopyOption.ATOMIC_MOVE);
            LOG.info("class-data-sharing archive of the shared agent made in {} ms: {}",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), agentHome.resolve(ARCHIVE));
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.warn("nodes start the shared agent without a class-data-sharing archive: {}", e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            if (agent != null && agent.isAlive()) {
                agent.destroyForcibly(); // the director stops, or the run hung
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

    private static List<String> command(Path agentHome, Path properties) {
        String launcher = agentHome.resolve(SharedAgents.LAUNCHER).toString();
        // lower priority: nodes starting meanwhile come first
        return Files.isExecutable(Path.of("/usr/bin/nice"))
                ? List.of("/usr/bin/nice", "-n", "10", launcher, properties.toString())
                : List.of(launcher, properties.toString());
    }

    /** A node of nobody's: credentials of the director's CA for the id "agent-training", used once, then deleted. */
    static Path trainingNode(Pki pki, Path work) throws IOException {
        NodeCredentials credentials = pki.issueNodeCredentials("agent-training", "conpaas", 0);
        Files.write(work.resolve("keystore.p12"), credentials.keyStore());
        Files.write(work.resolve("truststore.p12"), credentials.trustStore());
        String properties = "conpaas.node.id=agent-training\n"
                + "conpaas.agent.address=127.0.0.1\n"
                + "conpaas.agent.port=" + freePort() + "\n"
                + "conpaas.agent.workDir=" + work + "\n"
                + "conpaas.agent.keystore=keystore.p12\n"
                + "conpaas.agent.truststore=truststore.p12\n"
                + "conpaas.agent.storePassword=" + credentials.password() + "\n"
                + "conpaas.agent.exitWhenStarted=true\n";
        Path file = work.resolve("agent.properties");
        Files.writeString(file, properties, StandardCharsets.ISO_8859_1);
        return file;
    }

    private static int freePort() throws IOException {
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
        runner.shutdownNow();
    }
}
