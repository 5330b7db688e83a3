package org.conpaas.core.internal.bootstrap;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.conpaas.api.cloud.HostShare;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One read-only agent installation per machine for the clouds whose nodes share the director's machine (those with
 * a {@link HostShare}): the agent runtime unpacked once into the share, {@code agent-<digest>/conpaas-agent}, which
 * every node of that machine starts instead of downloading and unpacking its own copy. The digest names the runtime's
 * content, so a new agent gets a new folder and a node never starts a half-replaced one; the folder is complete
 * before it has its name (made hidden, renamed into place). Only the director writes there: folders 755, files 644,
 * programs 755.
 * <p>
 * A new installation is then given its class-data-sharing archive by {@link AgentClassArchive}. Nothing here is
 * required: when anything fails, it is logged and the nodes download the agent as on any cloud.
 */
final class SharedAgents {

    private static final Logger LOG = LoggerFactory.getLogger(SharedAgents.class);
    static final String LAUNCHER = "bin/conpaas-agent";

    private record Archive(Path path, long size, long modified) {
    }

    private final AgentClassArchive classArchive;
    private final Map<Archive, String> names = new ConcurrentHashMap<>();
    private final Map<Path, Object> locks = new ConcurrentHashMap<>();

    SharedAgents(AgentClassArchive classArchive) {
        this.classArchive = classArchive;
    }

    /** The agent's home ({@code …/conpaas-agent}) as the share's nodes see it, or empty: they download it. */
    Optional<String> agentHome(HostShare share, Path runtimeArchive) {
        try {
            String name = nameOf(runtimeArchive);
            Path installation = share.onHost().resolve(name);
            synchronized (locks.computeIfAbsent(installation, p -> new Object())) {
                if (!Files.isExecutable(installation.resolve(UserData.AGENT_HOME).resolve(LAUNCHER))) {
                    unpack(runtimeArchive, share.onHost(), installation);
                    classArchive.forget(installation.resolve(UserData.AGENT_HOME)); // a new one: train it again
                    LOG.info("the agent runtime is installed once for the nodes of this machine in {}", installation);
                }
            }
            // the launcher names the class path relative to the installation: the archive fits wherever nodes see it
            classArchive.makeOnce(installation.resolve(UserData.AGENT_HOME));
            return Optional.of(share.onNode().resolve(name).resolve(UserData.AGENT_HOME).toString());
        } catch (IOException | RuntimeException e) {
            LOG.warn("nodes download the agent themselves: it cannot be installed in {}: {}", share.onHost(),
                    e.getMessage());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private String nameOf(Path runtimeArchive) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(runtimeArchive, BasicFileAttributes.class);
        Archive key = new Archive(runtimeArchive, attributes.size(), attributes.lastModifiedTime().toMillis());
        String known = names.get(key);
        if (known != null) {
            return known;
        }
        try (InputStream in = Files.newInputStream(runtimeArchive)) {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                sha256.update(buffer, 0, n);
            }
            String name = "agent-" + HexFormat.of().formatHex(sha256.digest(), 0, 8);
            names.put(key, name);
            return name;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private static void unpack(Path runtimeArchive, Path root, Path installation)
            throws IOException, InterruptedException {
        Files.createDirectories(root);
        Path partial = Files.createTempDirectory(root, "." + installation.getFileName() + "-");
        try {
            Process tar = new ProcessBuilder("tar", "-xzf", runtimeArchive.toString(), "--no-same-owner", "-C",
                    partial.toString()).redirectErrorStream(true).start();
            String output = new String(tar.getInputStream().readAllBytes());
            if (!tar.waitFor(60, TimeUnit.SECONDS) || tar.exitValue() != 0) {
                tar.destroyForcibly();
                throw new IOException("tar could not unpack " + runtimeArchive + ": " + output.strip());
            }
            if (!Files.isExecutable(partial.resolve(UserData.AGENT_HOME).resolve(LAUNCHER))) {
                throw new IOException(runtimeArchive + " has no " + UserData.AGENT_HOME + "/" + LAUNCHER);
            }
            readableByAll(partial);
            Files.move(partial, installation, StandardCopyOption.ATOMIC_MOVE);
            partial = null;
        } catch (FileAlreadyExistsException e) {
            // an installation of the same content is in place already (left by an earlier start): it is complete
        } finally {
            if (partial != null) {
                deleteTree(partial);
            }
        }
    }

    /** Whatever the director's umask: the nodes' accounts read every file and run the programs, write nothing. */
    private static void readableByAll(Path tree) throws IOException {
        try (Stream<Path> walk = Files.walk(tree)) {
            for (Path path : (Iterable<Path>) walk::iterator) {
                if (Files.isSymbolicLink(path)) {
                    continue;
                }
                boolean program = Files.isDirectory(path) || Files.isExecutable(path);
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(program ? "rwxr-xr-x"
                        : "rw-r--r--"));
            }
        }
    }

    static void deleteTree(Path tree) {
        try (Stream<Path> walk = Files.walk(tree)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a hidden leftover; the next attempt uses another name
        }
    }
}
