package org.conpaas.service.support.host;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.conpaas.api.CloudException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Volumes the driver mounts as root for nodes that run as accounts of their own, at {@code <node>/media/<name>}. The
 * folders on that path belong to root (the node may only enter them), so no link the node makes can turn the mount
 * elsewhere; the file system's files are given to the node's account.
 */
public final class VolumeMountPoints {

    private static final Logger LOG = LoggerFactory.getLogger(VolumeMountPoints.class);
    /** The agent's rule for volume names. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    /** blkid -p: 2 means it found no file system. */
    private static final int BLKID_NOTHING_FOUND = 2;

    private VolumeMountPoints() {
    }

    public static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** How a mounted file system becomes its node's: what another node left on it is handed over. */
    @FunctionalInterface
    public interface Handover {
        void apply(Path mountPoint) throws IOException;
    }

    /** Mounts {@code image} at {@code mountPoint} for the account {@code uid}; already mounted there is fine. */
    public static void mount(Path image, Path wantedMountPoint, long uid) throws IOException {
        // A file system used by another node before keeps that node's uid on its files: hand them all over.
        mount(image, wantedMountPoint, uid, point -> FilePermissions.setOwnerOfTree(point, uid, uid));
    }

    /**
     * Mounts {@code image} at {@code mountPoint}, formatted when blank with its root owned by {@code rootUid}, then
     * {@code handover} makes it the node's; already mounted there is fine (and handed over already).
     */
    public static void mount(Path image, Path wantedMountPoint, long rootUid, Handover handover) throws IOException {
        String file = image.toRealPath().toString();
        Path mountPoint = wantedMountPoint.getParent().toRealPath().resolve(wantedMountPoint.getFileName());
        for (Mounts.Mount mount : Mounts.read()) {
            if (mount.mountPoint().equals(mountPoint)) {
                if (Mounts.loopDevicesOf(file).contains(mount.source())) {
                    return;
                }
                throw new CloudException(mountPoint + " already holds another volume");
            }
        }
        int probe = probeExitCode(file);
        if (probe != 0) {
            // format only when blkid found nothing, never when it failed otherwise: data must not be lost
            if (probe != BLKID_NOTHING_FOUND) {
                throw new CloudException("cannot tell whether volume image " + file + " holds a file system");
            }
            String failure = Mounts.run("mkfs.ext4", "-q", "-m0", "-F", "-E", "root_owner=" + rootUid + ":" + rootUid,
                    file);
            if (failure != null) {
                throw new CloudException("formatting " + file + " as ext4 failed: " + failure);
            }
        }
        if (Files.exists(mountPoint, LinkOption.NOFOLLOW_LINKS)) {
            throw new CloudException(mountPoint + " exists already");
        }
        Files.createDirectory(mountPoint);
        String failure = Mounts.run("mount", "-o", "loop,nodev,nosuid", file, mountPoint.toString());
        if (failure != null) {
            Files.deleteIfExists(mountPoint);
            throw new CloudException("mounting " + file + " at " + mountPoint + " failed: " + failure);
        }
        try {
            handover.apply(mountPoint);
        } catch (IOException | RuntimeException e) {
            Mounts.run("umount", mountPoint.toString());
            Files.deleteIfExists(mountPoint);
            throw e;
        }
        LOG.info("mounted {} at {} for uid {}", file, mountPoint, rootUid);
    }

    /** Removes the empty mount points below {@code nodesDir} that were just unmounted. */
    public static void removeEmpty(List<Path> mountPoints, Path nodesDir) {
        for (Path point : mountPoints) {
            if (point.startsWith(nodesDir.toAbsolutePath()) && Files.isDirectory(point, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.deleteIfExists(point);
                } catch (DirectoryNotEmptyException stillMounted) {
                    // lazily unmounted and busy, or files of its own: the node's deletion takes it
                } catch (IOException e) {
                    LOG.warn("cannot remove the mount point {}: {}", point, e.getMessage());
                }
            }
        }
    }

    private static int probeExitCode(String file) throws IOException {
        Process blkid = new ProcessBuilder(Mounts.locate("blkid"), "-p", file).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            if (!blkid.waitFor(30, TimeUnit.SECONDS)) {
                blkid.destroyForcibly();
                return -1;
            }
        } catch (InterruptedException e) {
            blkid.destroyForcibly();
            Thread.currentThread().interrupt();
            return -1;
        }
        return blkid.exitValue();
    }
}
