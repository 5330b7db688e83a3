package org.conpaas.agent.core.volumes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's volumes: each is mounted at {@code <mediaDir>/<name>} (ConPaaS' {@code /media/<name>}), formatted as
 * ext4 the first time. As root the kernel mounts it (an image file through a loop device); otherwise fuse2fs does,
 * when installed; an unprivileged node whose cloud mounted the volume for it (the local cloud as root) only finds and
 * releases it. Calls are serialised: mounting is rare and must not race with unmounting the same name.
 */
public final class VolumeMounts {

    /** How the file systems get mounted on this node. */
    public enum Method {
        /** mount(8): needs root; an image file goes through a loop device */
        KERNEL,
        /** fuse2fs: works without root for ext2/3/4 images and devices the user may read and write */
        FUSE2FS,
        /** neither is possible: volume requests are refused */
        NONE
    }

    /** A mounted volume as the protocol lists it. */
    public record Volume(String name, String path, String device) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(VolumeMounts.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final int S_IFMT = 0170000;
    private static final int S_IFBLK = 0060000;
    private static final Duration QUICK = Duration.ofSeconds(15);
    private static final Duration MKFS = Duration.ofSeconds(60);
    private static final Duration MOUNT = Duration.ofSeconds(30);
    private static final long KILL_WAIT_MILLIS = 5_000;
    private static final int UNMOUNT_ATTEMPTS = 5;

    private final Path mediaDir;
    private final Method method;

    public VolumeMounts(Path mediaDir) {
        this(mediaDir, detectMethod());
    }

    public VolumeMounts(Path mediaDir, Method method) {
        this.mediaDir = mediaDir.toAbsolutePath().normalize();
        this.method = method;
    }

    public Method method() {
        return method;
    }

    /** Root mounts with the kernel; anyone else needs fuse2fs on the PATH. */
    public static Method detectMethod() {
        if (currentUid() == 0) {
            return Method.KERNEL;
        }
        return Commands.locate("fuse2fs").isPresent() ? Method.FUSE2FS : Method.NONE;
    }

    public static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** Mounts {@code device} as volume {@code name}; mounting the same device there again changes nothing. */
    public synchronized Volume mount(String name, String device) throws VolumeException {
        checkName(name);
        Path image = checkDevice(device);
        Path mountPoint = mediaDir.resolve(name);
        Path real = realMountPoint(mountPoint);
        String wanted = image.toString();
        for (MountTable.Mount mount : MountTable.read()) {
            boolean here = mount.mountPoint().equals(real);
            if (here && mount.device().equals(wanted)) {
                return volume(name, wanted); // already done
            }
            if (here) {
                throw VolumeException.conflict("volume " + name + " is already mounted from " + mount.device());
            }
            if (mount.device().equals(wanted)) {
                throw VolumeException.conflict("device " + wanted + " is already mounted at " + mount.mountPoint());
            }
        }
        // Checked only now: a volume the cloud mounted for this node is found above even when it cannot mount.
        if (method == Method.NONE) {
            throw VolumeException.failed("mounting volumes needs root (loop devices) or fuse2fs");
        }
        formatIfBlank(image);
        try {
            Files.createDirectories(mountPoint);
        } catch (IOException e) {
            throw VolumeException.failed("cannot create the mount point " + mountPoint + ": " + e.getMessage());
        }
        Commands.Result mounted = Commands.run(MOUNT, mountCommand(image, mountPoint));
        if (!mounted.ok()) {
            removeEmptyFolder(mountPoint);
            throw VolumeException.failed("mounting " + wanted + " at " + mountPoint + " failed: " + mounted.error());
        }
        LOG.info("volume {} mounted at {} from {} ({})", name, mountPoint, wanted, method);
        return volume(name, wanted);
    }

    /**
     * Kills what still uses volume {@code name}, unmounts it and removes its folder; a volume that is not mounted
     * only loses its folder.
     */
    public synchronized void unmount(String name) throws VolumeException {
        checkName(name);
        Path mountPoint = mediaDir.resolve(name);
        Path real = realMountPoint(mountPoint);
        Optional<MountTable.Mount> current = mountAt(real);
        if (current.isPresent() && !current.get().isFuse() && currentUid() != 0) {
            // The cloud mounted it for this unprivileged node (the local cloud as root): only the cloud can unmount
            // it, on detach, and it removes the folder then. What the node can do is let go of it.
            int killed = ProcessHolders.kill(real, KILL_WAIT_MILLIS);
            LOG.info("volume {} at {} is left to the cloud to unmount{}", name, real,
                    killed > 0 ? " after killing " + killed + " process(es)" : "");
            return;
        }
        for (int attempt = 1; mountAt(real).isPresent(); attempt++) {
            int killed = ProcessHolders.kill(real, KILL_WAIT_MILLIS);
            MountTable.Mount mount = mountAt(real).orElse(null);
            if (mount == null) {
                break; // someone else unmounted it meanwhile
            }
            boolean lastTry = attempt >= UNMOUNT_ATTEMPTS;
            Commands.Result result = Commands.run(MOUNT, unmountCommand(mount, real, lastTry));
            if (result.ok()) {
                LOG.info("volume {} unmounted from {}{}{}", name, real,
                        killed > 0 ? " after killing " + killed + " process(es)" : "",
                        lastTry ? " (lazily: something still used it)" : "");
            } else if (lastTry) {
                throw VolumeException.failed("unmounting volume " + name + " failed: " + result.error());
            } else {
                sleep(100L * attempt); // a process may still have been opening files there; look again
            }
        }
        removeFolder(mountPoint);
    }

    /** The volumes mounted now, one per folder of the media dir. */
    public List<Volume> list() throws VolumeException {
        Path realMedia = realMountPoint(mediaDir);
        List<Volume> volumes = new ArrayList<>();
        for (MountTable.Mount mount : MountTable.read()) {
            Path parent = mount.mountPoint().getParent();
            if (realMedia.equals(parent)) {
                String name = mount.mountPoint().getFileName().toString();
                volumes.add(volume(name, mount.device()));
            }
        }
        volumes.sort(Comparator.comparing(Volume::name));
        return volumes;
    }

    private Volume volume(String name, String device) {
        return new Volume(name, mediaDir.resolve(name).toString(), device);
    }

    private static void checkName(String name) throws VolumeException {
        if (!isValidName(name)) {
            throw VolumeException.invalid("'" + name + "' is not a valid volume name (1 to 64 of A-Z a-z 0-9 _ -)");
        }
    }

    /** The device must be an absolute path to an image file or a block device; returns it without symlinks. */
    private static Path checkDevice(String device) throws VolumeException {
        if (device == null || device.isBlank()) {
            throw VolumeException.invalid("the volume needs a device");
        }
        Path path = Path.of(device);
        if (!path.isAbsolute()) {
            throw VolumeException.invalid("device " + device + " is not an absolute path");
        }
        Path real;
        try {
            real = path.toRealPath();
        } catch (IOException e) {
            throw VolumeException.invalid("device " + device + " does not exist");
        }
        if (!Files.isRegularFile(real) && !isBlockDevice(real)) {
            throw VolumeException.invalid("device " + device + " is neither an image file nor a block device");
        }
        return real;
    }

    private static boolean isBlockDevice(Path path) {
        try {
            int mode = (Integer) Files.getAttribute(path, "unix:mode");
            return (mode & S_IFMT) == S_IFBLK;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    /** A fresh volume has no file system; anything blkid recognises is kept, so data survives a re-attach. */
    private static void formatIfBlank(Path device) throws VolumeException {
        Commands.Result probe = Commands.run(QUICK, "blkid", "-p", device.toString());
        if (probe.ok()) {
            return;
        }
        if (probe.exitCode() != 2) { // 2 = nothing found; anything else is a real error, and we must not format
            throw VolumeException.failed("cannot tell whether " + device + " holds a file system: " + probe.error());
        }
        // root_owner: the volume's top folder belongs to the agent's user, which may not be root (fuse2fs).
        Commands.Result mkfs = Commands.run(MKFS, "mkfs.ext4", "-q", "-m0", "-F",
                "-E", "root_owner=" + currentUid() + ":" + currentGid(), device.toString());
        if (!mkfs.ok()) {
            throw VolumeException.failed("formatting " + device + " as ext4 failed: " + mkfs.error());
        }
        LOG.info("formatted {} as ext4", device);
    }

    private String[] mountCommand(Path device, Path mountPoint) {
        if (method == Method.FUSE2FS) {
            return new String[] {"fuse2fs", device.toString(), mountPoint.toString()};
        }
        String options = Files.isRegularFile(device) ? "loop,nodev,nosuid" : "nodev,nosuid";
        return new String[] {"mount", "-o", options, device.toString(), mountPoint.toString()};
    }

    /** umount, or fusermount for a FUSE mount when we are not root; {@code lazy} detaches even a busy mount. */
    private static String[] unmountCommand(MountTable.Mount mount, Path mountPoint, boolean lazy) {
        if (mount.isFuse() && currentUid() != 0) {
            return lazy ? new String[] {"fusermount", "-u", "-z", mountPoint.toString()}
                    : new String[] {"fusermount", "-u", mountPoint.toString()};
        }
        return lazy ? new String[] {"umount", "-l", mountPoint.toString()}
                : new String[] {"umount", mountPoint.toString()};
    }

    private static Optional<MountTable.Mount> mountAt(Path realMountPoint) throws VolumeException {
        // the last entry wins: a later mount on the same folder hides the earlier ones
        MountTable.Mount found = null;
        for (MountTable.Mount mount : MountTable.read()) {
            if (mount.mountPoint().equals(realMountPoint)) {
                found = mount;
            }
        }
        return Optional.ofNullable(found);
    }

    /** The mount table names folders without symbolic links; resolve the part of the path that exists. */
    private static Path realMountPoint(Path path) {
        Path existing = path;
        Path rest = Path.of("");
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            rest = existing.getFileName().resolve(rest);
            existing = existing.getParent();
        }
        if (existing == null) {
            return path;
        }
        try {
            return existing.toRealPath().resolve(rest).normalize();
        } catch (IOException e) {
            return path;
        }
    }

    private void removeFolder(Path mountPoint) throws VolumeException {
        if (!Files.exists(mountPoint, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        String below = realMountPoint(mountPoint) + "/";
        for (MountTable.Mount mount : MountTable.read()) {
            if (mount.mountPoint().toString().startsWith(below)) {
                throw VolumeException.failed("cannot remove " + mountPoint + ": " + mount.mountPoint()
                        + " is mounted inside it");
            }
        }
        try (Stream<Path> walk = Files.walk(mountPoint)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw VolumeException.failed("cannot remove the folder " + mountPoint + ": " + e.getMessage());
        }
    }

    private static void removeEmptyFolder(Path folder) {
        try {
            Files.deleteIfExists(folder);
        } catch (IOException e) {
            // not empty: it held files before, keep them
        }
    }

    private static long currentUid() {
        return procSelfAttribute("unix:uid");
    }

    private static long currentGid() {
        return procSelfAttribute("unix:gid");
    }

    /** /proc/self belongs to this process's user and group. */
    private static long procSelfAttribute(String attribute) {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), attribute)).longValue();
        } catch (IOException | UnsupportedOperationException e) {
            return -1;
        }
    }

    private static void sleep(long millis) throws VolumeException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw VolumeException.failed("interrupted while unmounting");
        }
    }
}
