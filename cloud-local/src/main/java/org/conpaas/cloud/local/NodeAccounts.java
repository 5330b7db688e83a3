package org.conpaas.cloud.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.conpaas.api.CloudException;
import org.conpaas.service.support.host.FilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accounts nodes run as. When the director runs as root, every node gets an account of its own: a uid drawn from
 * the configured range, with the group of the same number and no other group. The accounts need no entry in
 * /etc/passwd: {@code setpriv} switches to the numbers, so nothing on the host is created or left behind. A uid is
 * never given to two live nodes (of this cloud, from its records) nor to one that some process on the host still
 * runs as (another director's node, a leftover). Without root every node runs as the director's account
 * ({@link #DIRECTOR_ACCOUNT}): an unprivileged process cannot switch users.
 */
final class NodeAccounts {

    /** The uid recorded for a node that runs as the director's own account. */
    static final long DIRECTOR_ACCOUNT = -1;

    private static final Logger LOG = LoggerFactory.getLogger(NodeAccounts.class);

    /** An inclusive range of uids, e.g. 2000000000-2000999999. */
    record UidRange(long first, long last) {

        /** Below 1000 live the host's system accounts; Java's file attributes take uids as a signed int. */
        static final long LOWEST = 1000;
        static final long HIGHEST = Integer.MAX_VALUE - 1;

        UidRange {
            if (first < LOWEST || last > HIGHEST || first > last) {
                throw new IllegalArgumentException("node uid range " + first + "-" + last + " must lie within "
                        + LOWEST + "-" + HIGHEST + " and start before it ends");
            }
        }

        static UidRange parse(String text) {
            String[] ends = text == null ? new String[0] : text.trim().split("\\s*-\\s*");
            try {
                if (ends.length == 2) {
                    return new UidRange(Long.parseLong(ends[0]), Long.parseLong(ends[1]));
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException("node uid range '" + text + "' is not of the form first-last");
        }

        long size() {
            return last - first + 1;
        }
    }

    private final UidRange range;
    private final boolean separate;
    private final NodeStore nodes;
    /** Uids handed out for launches whose node record may not be written yet. */
    private final Set<Long> launching = new HashSet<>();

    NodeAccounts(UidRange range, boolean separate, NodeStore nodes) {
        this.range = range;
        this.separate = separate;
        this.nodes = nodes;
    }

    /** Whether nodes get accounts of their own: only root can start processes as another user. */
    boolean separate() {
        return separate;
    }

    static boolean directorIsRoot() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue() == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    /** A free uid for a new node, or {@link #DIRECTOR_ACCOUNT} without root; {@link #done} when it is recorded. */
    synchronized long allocate() throws IOException {
        if (!separate) {
            return DIRECTOR_ACCOUNT;
        }
        Set<Long> used = new HashSet<>(launching);
        for (String vmId : nodes.vmIds()) {
            nodes.read(vmId).ifPresent(r -> used.add(r.uid()));
        }
        used.addAll(ProcessTable.liveUids());
        long size = range.size();
        long start = ThreadLocalRandom.current().nextLong(size);
        for (long i = 0; i < size; i++) {
            long uid = range.first() + (start + i) % size;
            if (!used.contains(uid)) {
                launching.add(uid);
                return uid;
            }
        }
        throw new CloudException("every node account of the range " + range.first() + "-" + range.last()
                + " is in use; widen nodeUids in the local cloud's configuration");
    }

    /** The launch is over: its uid is now in its node record, or the node is gone. */
    synchronized void done(long uid) {
        launching.remove(uid);
    }

    /**
     * Shapes the cloud's data folder for node accounts: they may enter (not list) it, {@code nodes/} and
     * {@code volumes/} (to reach their own folder and their volume's image, each protected by its own mode), and nothing of {@code addresses/}; Karaf's {@code etc/} and the rest of its
     * {@code data/} are closed to them ({@link DirectorFolders}); the folders above and the agents' Java are opened
     * as {@link #openPathTo} says.
     */
    void prepareDataDir(Path dataDir, Path javaHome) {
        if (!separate) {
            return;
        }
        try {
            Files.createDirectories(dataDir);
            FilePermissions.setMode(dataDir, "rwx--x--x");
            for (String entered : List.of("nodes", "volumes")) {
                FilePermissions.setMode(Files.createDirectories(dataDir.resolve(entered)), "rwx--x--x");
            }
            FilePermissions.setMode(Files.createDirectories(dataDir.resolve("addresses")), "rwx------");
            DirectorFolders.closeToNodes(karafFolder("karaf.etc"), karafFolder("karaf.data"), dataDir);
        } catch (IOException e) {
            throw new CloudException("cannot prepare " + dataDir + " for node accounts: " + e.getMessage(), e);
        }
        openPathTo(dataDir, javaHome);
    }

    private static Path karafFolder(String property) {
        String value = System.getProperty(property);
        return value == null || value.isBlank() ? null : Path.of(value);
    }

    /**
     * Lets node accounts walk down to their folders: every folder from the file system root to
     * {@code dir} gets the others' execute bit (enter, not list; what those folders hold stays protected by its own
     * modes), and the Java the agents run on must be runnable by others.
     */
    void openPathTo(Path dir, Path javaHome) {
        if (!separate) {
            return;
        }
        try {
            for (Path opened : FilePermissions.letOthersEnter(dir)) {
                LOG.info("{} may now be entered (not listed) by others, so that node accounts reach their "
                        + "folders below it", opened);
            }
        } catch (IOException e) {
            throw new CloudException("cannot let node accounts reach " + dir + ": " + e.getMessage(), e);
        }
        Path java = javaHome.resolve("bin/java");
        if (!reachableByOthers(java)) {
            throw new CloudException("the agents' Java " + java + " cannot be run by the node accounts (it or a "
                    + "folder above it lacks the others' read/execute permission); set javaHome in the local cloud's "
                    + "configuration to a JDK installed for everyone");
        }
    }

    /**
     * The director's PATH without the folders node accounts cannot enter (under /root, say): a command looked up
     * there would fail with "Permission denied" instead of being found further on or reported missing.
     */
    static String pathForNodes(String directorPath) {
        List<String> kept = new java.util.ArrayList<>();
        for (String entry : directorPath.split(":")) {
            if (!entry.isEmpty() && !kept.contains(entry) && enterableByOthers(Path.of(entry))) {
                kept.add(entry);
            }
        }
        return String.join(":", kept);
    }

    private static boolean enterableByOthers(Path dir) {
        try {
            for (Path p = dir.toRealPath(); p != null; p = p.getParent()) {
                if (!Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    return false;
                }
            }
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static boolean reachableByOthers(Path file) {
        try {
            Path real = file.toRealPath();
            if (!Files.getPosixFilePermissions(real).containsAll(List.of(PosixFilePermission.OTHERS_EXECUTE,
                    PosixFilePermission.OTHERS_READ))) {
                return false;
            }
            for (Path p = real.getParent(); p != null; p = p.getParent()) {
                if (!Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS)
                        .contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    return false;
                }
            }
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
