package org.conpaas.cloud.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.conpaas.api.CloudException;
import org.conpaas.service.support.host.Mounts;

/**
 * Confines a node that runs as the director's own account (the director is not root, so it cannot give the node an
 * account of its own) with bubblewrap: the same uid, but in namespaces of its own. Inside, the host's file system is
 * read-only; the director's folders (Karaf's {@code etc/} and {@code data/}, the cloud's data folder, the director
 * account's home, {@code /tmp}, {@code /var/tmp}) are empty tmpfs, in which only the Java the agents run on
 * (read-only) and the node's own {@code work/} and {@code media/} (writable) are put back (the node downloads the
 * agent runtime into its own folder, as on any cloud); the node gets
 * its own PID namespace with a fresh {@code /proc} (so {@code /proc/<director pid>/root} and {@code /fd}, which would
 * lead back into the director's view, do not exist), a minimal {@code /dev}, its own IPC namespace, no capabilities
 * and no_new_privs. The network stays the host's: nodes listen on their loopback addresses.
 * <p>
 * Not used: {@code --die-with-parent} (nodes outlive a director restart on purpose), {@code --new-session} (the agent
 * stays in the process group the driver signals) and {@code --as-pid-1} (bubblewrap's own init reaps orphans; when a
 * group KILL ends it, the kernel kills whatever else is left in the node's PID namespace).
 */
final class NodeSandbox {

    /** The Debian/Ubuntu package that provides {@code bwrap}. */
    static final String PACKAGE = "bubblewrap";

    private final List<Path> directorFolders;
    private final String program;
    private volatile String bwrap;

    /** {@code directorFolders}: what a node must not see besides the cloud's data folder. */
    NodeSandbox(List<Path> directorFolders) {
        this(directorFolders, "bwrap");
    }

    /** {@code program}: the name of bubblewrap's command (tests name one that is not there). */
    NodeSandbox(List<Path> directorFolders, String program) {
        this.directorFolders = List.copyOf(directorFolders);
        this.program = program;
    }

    /**
     * The folders of this director: Karaf's etc/ and data/ and its account's home; and the host's temporary folders,
     * where the director's account may keep files too (a node gets empty ones of its own).
     */
    static NodeSandbox ofThisDirector() {
        List<Path> folders = new ArrayList<>();
        for (String property : List.of("karaf.etc", "karaf.data", "user.home")) {
            String value = System.getProperty(property);
            if (value != null && !value.isBlank()) {
                folders.add(Path.of(value));
            }
        }
        folders.add(Path.of("/tmp"));
        folders.add(Path.of("/var/tmp"));
        return new NodeSandbox(folders);
    }

    List<Path> directorFolders() {
        return directorFolders;
    }

    /**
     * Fails with one sentence when bubblewrap is missing or cannot build a sandbox here (unprivileged user namespaces
     * switched off, say). Checked once per driver; launching is refused rather than starting unconfined nodes.
     */
    void check() {
        if (bwrap != null) {
            return;
        }
        String located = Mounts.locate(program);
        if (!Path.of(located).isAbsolute()) {
            throw new CloudException("the local cloud confines nodes with bubblewrap when the director does not run "
                    + "as root, but bwrap is not installed; install the package " + PACKAGE);
        }
        List<String> probe = new ArrayList<>(List.of(located));
        probe.addAll(namespaces());
        probe.addAll(List.of("--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--", "true"));
        String failure = run(probe);
        if (failure != null) {
            throw new CloudException("the local cloud cannot confine nodes with bubblewrap on this host (" + failure
                    + "); unprivileged user namespaces must be enabled, or run the director as root");
        }
        bwrap = located;
    }

    /** The command line up to the node's own command: {@code bwrap <options> --}. Call {@link #check} first. */
    List<String> command(Path cloudDir, Path nodeDir, Path javaHome) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Objects.requireNonNull(bwrap, "check() first"));
        command.addAll(namespaces());
        command.addAll(List.of("--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"));
        Path realNode = nodeDir.toRealPath();
        List<Path> hidden = new ArrayList<>();
        List<Path> candidates = new ArrayList<>(directorFolders);
        candidates.add(cloudDir);
        for (Path folder : candidates) {
            if (Files.isDirectory(folder)) {
                Path real = folder.toRealPath();
                if (real.getParent() != null) { // never the root itself
                    hidden.add(real);
                }
            }
        }
        // parents first; a folder inside one already hidden needs no tmpfs of its own
        hidden.sort(Comparator.comparingInt(Path::getNameCount));
        List<Path> covered = new ArrayList<>();
        for (Path folder : hidden) {
            if (covered.stream().noneMatch(folder::startsWith)) {
                covered.add(folder);
                command.addAll(List.of("--tmpfs", folder.toString()));
            }
        }
        // put back what the node needs, read-only unless it is its own
        for (Path shared : List.of(javaHome, cloudDir.resolve(LocalCloudDriver.HOST_SHARE))) {
            if (!Files.isDirectory(shared)) {
                continue;
            }
            Path real = shared.toRealPath();
            if (covered.stream().anyMatch(real::startsWith)) {
                command.addAll(List.of("--ro-bind", real.toString(), real.toString()));
            }
        }
        for (String own : List.of("work", "media")) {
            Path real = realNode.resolve(own);
            command.addAll(List.of("--bind", real.toString(), real.toString()));
        }
        command.addAll(List.of("--chdir", realNode.resolve("work").toString(), "--"));
        return command;
    }

    private static List<String> namespaces() {
        // --unshare-user keeps the caller's uid inside; --cap-drop ALL matters when the caller is root (tests), which
        // would otherwise keep every capability inside its namespace and could unmount the tmpfs over data/.
        return List.of("--unshare-user", "--unshare-pid", "--unshare-ipc", "--unshare-cgroup-try", "--cap-drop", "ALL");
    }

    /** Runs a short command; null when it succeeded, else its first line of output or its status. */
    private static String run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            byte[] output = process.getInputStream().readNBytes(4096);
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return "bwrap did not finish within 10 s";
            }
            if (process.exitValue() == 0) {
                return null;
            }
            String text = new String(output, StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? "bwrap exited with status " + process.exitValue() : text.lines().findFirst()
                    .orElse(text);
        } catch (IOException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
