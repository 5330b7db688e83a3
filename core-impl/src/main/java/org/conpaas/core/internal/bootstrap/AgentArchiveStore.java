package org.conpaas.core.internal.bootstrap;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent class archives the director has, one per agent runtime and Java, in its archive folder ({@code data/cds},
 * beside its own): {@code agent-<runtime>-<java>.jsa}, where {@code agent-<runtime>} is the name of the shared
 * installation (the runtime's digest) and {@code <java>} a digest of the Java's {@code release} file. The build ships
 * the one it trained there, and a director keeps there the one it made, so that every new installation of that runtime
 * gets its archive at once instead of after a training run: nodes started right after a first start, or after the
 * share was cleaned, start as fast as later ones.
 */
final class AgentArchiveStore {

    private static final Logger LOG = LoggerFactory.getLogger(AgentArchiveStore.class);
    /** The first four bytes of a complete dynamic archive (the JVM writes them last). */
    private static final int DYNAMIC_ARCHIVE_MAGIC = 0xf00baba8;

    private final Path folder;
    private final String javaKey;

    AgentArchiveStore(Path folder, String javaHome) {
        this.folder = folder;
        this.javaKey = javaKey(javaHome);
    }

    /** Copies the archive kept for {@code agentHome}'s runtime and this Java to {@code target}; false without one. */
    boolean copyInto(Path agentHome, Path target) {
        Path kept = fileFor(agentHome);
        if (!complete(kept)) {
            return false;
        }
        try {
            copy(kept, target);
            LOG.info("the shared agent {} starts with the class-data-sharing archive {}", agentHome, kept);
            return true;
        } catch (IOException e) {
            LOG.warn("the class-data-sharing archive {} cannot be copied into {}: {}", kept, agentHome, e.getMessage());
            return false;
        }
    }

    /** Keeps a copy of {@code archive}, made for {@code agentHome}; those of other runtimes or Java go. */
    void keep(Path agentHome, Path archive) {
        Path kept = fileFor(agentHome);
        try {
            Files.createDirectories(folder);
            copy(archive, kept);
            try (DirectoryStream<Path> others = Files.newDirectoryStream(folder, "agent-*.jsa")) {
                for (Path other : others) {
                    if (!other.equals(kept)) {
                        Files.deleteIfExists(other);
                    }
                }
            }
        } catch (IOException e) {
            LOG.warn("the agent's class-data-sharing archive is not kept in {}: {}", folder, e.getMessage());
        }
    }

    Path fileFor(Path agentHome) {
        return folder.resolve(agentHome.getParent().getFileName() + "-" + javaKey + ".jsa");
    }

    /** Written under a name no launcher reads ({@link #partialFor}), then published: never half an archive. */
    private static void copy(Path from, Path to) throws IOException {
        Path partial = partialFor(to);
        try {
            Files.copy(from, partial);
            publish(partial, to);
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    /** A name beside {@code archive} that no launcher reads, for an archive being written. */
    static Path partialFor(Path archive) {
        return archive.resolveSibling(archive.getFileName() + "." + UUID.randomUUID() + ".partial");
    }

    /** Makes a complete {@code partial} readable by the nodes' accounts and renames it to {@code archive} at once. */
    static void publish(Path partial, Path archive) throws IOException {
        Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-r--r--"));
        Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE);
    }

    static boolean complete(Path archive) {
        try (InputStream in = Files.newInputStream(archive)) {
            byte[] head = in.readNBytes(4);
            return head.length == 4
                    && ByteBuffer.wrap(head).order(ByteOrder.nativeOrder()).getInt() == DYNAMIC_ARCHIVE_MAGIC;
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            LOG.warn("the class-data-sharing archive {} cannot be read: {}", archive, e.getMessage());
            return false;
        }
    }

    /** The Java's {@code release} file names its exact build; an archive is good for that build only. */
    static String javaKey(String javaHome) {
        byte[] identity;
        try {
            identity = Files.readAllBytes(Path.of(javaHome, "release"));
        } catch (IOException e) {
            identity = (javaHome + "\n" + System.getProperty("java.vm.version")).getBytes(StandardCharsets.UTF_8);
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(identity), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
