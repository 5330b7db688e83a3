package org.conpaas.cloud.local;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.conpaas.api.CloudException;

/**
 * The agent runtime, unpacked once per archive content into {@code <root>/<sha256>/} and shared by every node.
 * Unpacking goes to a temporary directory that is renamed into place, so a half-unpacked runtime is never used.
 */
final class AgentRuntimeCache {

    static final String AGENT_LAUNCHER = "conpaas-agent/bin/conpaas-agent";
    private static final long TAR_TIMEOUT_SECONDS = 120;

    private final Path root;
    private final boolean sharedWithNodes;

    /** {@code sharedWithNodes}: nodes run as accounts of their own, which must read and run the runtime. */
    AgentRuntimeCache(Path root, boolean sharedWithNodes) {
        this.root = root;
        this.sharedWithNodes = sharedWithNodes;
    }

    /** Returns the agent launcher script of the runtime in {@code archive} (a file: URI to a tar.gz). */
    synchronized Path launcherFor(URI archive) {
        Path file = archiveFile(archive);
        try {
            Files.createDirectories(root);
            Path target = root.resolve(sha256(file));
            if (Files.isExecutable(target.resolve(AGENT_LAUNCHER))) {
                if (sharedWithNodes) {
                    shareWithNodes(target); // unpacked by an older version, for the director's account only
                }
                return target.resolve(AGENT_LAUNCHER);
            }
            Path temp = Files.createTempDirectory(root, ".unpack-");
            try {
                untar(file, temp);
                Path launcher = temp.resolve(AGENT_LAUNCHER);
                if (!Files.isRegularFile(launcher)) {
                    throw new CloudException("agent archive " + file + " has no " + AGENT_LAUNCHER);
                }
                makeExecutable(launcher.getParent());
                if (sharedWithNodes) {
                    shareWithNodes(temp);
                }
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException raced) {
                    // another director over the same data directory unpacked it first; use theirs
                }
                return target.resolve(AGENT_LAUNCHER);
            } finally {
                FileTrees.deleteTree(temp);
            }
        } catch (IOException e) {
            throw new CloudException("cannot unpack agent archive " + file + ": " + e.getMessage(), e);
        }
    }

    private static Path archiveFile(URI archive) {
        if (archive == null) {
            throw new CloudException("no agent archive given for the node");
        }
        if (!"file".equalsIgnoreCase(archive.getScheme())) {
            throw new CloudException("agent archive " + archive + " is not a file: URI; the local cloud reads "
                    + "the agent runtime from this host");
        }
        Path file = Path.of(archive);
        if (!Files.isRegularFile(file)) {
            throw new CloudException("agent archive " + file + " does not exist");
        }
        return file;
    }

    /** {@code --no-same-owner}: as root, tar would give the files to whatever uid the archive names. */
    private static void untar(Path archive, Path into) throws IOException {
        Path output = into.resolve(".tar-output");
        Process tar = new ProcessBuilder("tar", "-xzf", archive.toString(), "--no-same-owner", "-C", into.toString())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            if (!tar.waitFor(TAR_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                tar.destroyForcibly();
                throw new CloudException("unpacking agent archive " + archive + " took more than "
                        + TAR_TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            tar.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new CloudException("interrupted while unpacking agent archive " + archive);
        }
        String message = Files.readString(output, StandardCharsets.UTF_8).trim().replace('\n', ' ');
        Files.delete(output);
        if (tar.exitValue() != 0) {
            throw new CloudException("agent archive " + archive + " is not a valid tar.gz (tar exit "
                    + tar.exitValue() + ": " + message + ")");
        }
    }

    /**
     * Lets every account read the runtime and run its programs, and none but the owner change it: it holds only the
     * agent's jars and scripts, no secret (those are in each node's own folder).
     */
    private static void shareWithNodes(Path runtime) throws IOException {
        Process chmod = new ProcessBuilder("chmod", "-R", "u+rwX,go+rX,go-w", runtime.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            if (!chmod.waitFor(TAR_TIMEOUT_SECONDS, TimeUnit.SECONDS) || chmod.exitValue() != 0) {
                chmod.destroyForcibly();
                throw new IOException("chmod of " + runtime + " failed");
            }
        } catch (InterruptedException e) {
            chmod.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while sharing " + runtime + " with the nodes");
        }
    }

    private static void makeExecutable(Path binDir) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(binDir)) {
            for (Path file : files) {
                if (Files.isRegularFile(file) && !file.toFile().setExecutable(true, false)) {
                    throw new IOException("cannot make " + file + " executable");
                }
            }
        }
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0;) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
