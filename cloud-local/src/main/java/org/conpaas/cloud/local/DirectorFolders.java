package org.conpaas.cloud.local;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes the director's own folders to node accounts, whatever modes Karaf and its bundles give the files inside:
 * {@code etc/} entirely, and every entry of {@code data/} but the way to the cloud's own folder (logs, bundle cache,
 * configuration copies, the director's keys and database). Only the others' permissions are taken away: node
 * accounts are in no group, and the director's account keeps everything. Several local clouds share one director:
 * the folders of all of them stay reachable, whichever prepares its folder first.
 */
final class DirectorFolders {

    private static final Logger LOG = LoggerFactory.getLogger(DirectorFolders.class);
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
    /** The clouds' folders, of every local cloud of this director (all run in this bundle). */
    private static final Set<Path> CLOUD_FOLDERS = ConcurrentHashMap.newKeySet();

    private DirectorFolders() {
    }

    /** {@code etc} and {@code data}: Karaf's folders (null when not in Karaf); {@code cloudDir}: stays reachable. */
    static void closeToNodes(Path etc, Path data, Path cloudDir) throws IOException {
        if (etc != null && Files.isDirectory(etc)) {
            remove(etc, OTHERS);
        }
        if (data == null || !Files.isDirectory(data)) {
            return;
        }
        Path realData = data.toRealPath();
        CLOUD_FOLDERS.add(cloudDir.toRealPath());
        // others may still enter data/ (to reach the cloud's folder below it) but not list it
        remove(realData, EnumSet.of(PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE));
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(realData)) {
            for (Path entry : entries) {
                if (Files.isSymbolicLink(entry)) {
                    continue;
                }
                if (leadsToACloudFolder(entry)) {
                    enter(entry); // closed by another local cloud that prepared its folder before this one existed
                } else {
                    remove(entry, OTHERS);
                }
            }
        }
    }

    private static boolean leadsToACloudFolder(Path entry) {
        return CLOUD_FOLDERS.stream().anyMatch(cloud -> cloud.startsWith(entry));
    }

    private static void enter(Path path) throws IOException {
        Set<PosixFilePermission> modes = EnumSet.copyOf(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
        if (modes.add(PosixFilePermission.OTHERS_EXECUTE)) {
            Files.setPosixFilePermissions(path, modes);
        }
    }

    private static void remove(Path path, Set<PosixFilePermission> taken) throws IOException {
        Set<PosixFilePermission> modes = EnumSet.copyOf(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
        if (modes.removeAll(taken)) {
            Files.setPosixFilePermissions(path, modes);
            LOG.info("{} is closed to node accounts now ({})", path, taken);
        }
    }
}
