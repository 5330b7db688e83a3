package org.conpaas.service.support.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes file systems off nodes by force: what agents mounted below a node directory, and whatever still uses a
 * volume image. Unmounting is lazy when a mount is busy (nothing may keep a node or a volume from going) and loop
 * devices are detached so none leak.
 */
public final class Mounts {

    private static final Logger LOG = LoggerFactory.getLogger(Mounts.class);
    private static final Pattern LOOP = Pattern.compile("/dev/(loop[0-9]+)");
    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");
    private static final Path LOOP_DEVICES = Path.of("/sys/block");
    private static final long COMMAND_TIMEOUT_SECONDS = 30;

    /** One line of the mount table. */
    public record Mount(Path mountPoint, String fsType, String source) {
    }

    private Mounts() {
    }

    /** Unmounts everything mounted at or below {@code dir}, deepest first; throws if something stays mounted. */
    public static void unmountBelow(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        Path real = dir.toRealPath();
        List<Mount> below = below(real);
        below.sort(Comparator.comparingInt((Mount m) -> m.mountPoint().getNameCount()).reversed());
        for (Mount mount : below) {
            unmount(mount);
        }
        List<Mount> left = below(real);
        if (!left.isEmpty()) {
            throw new IOException(left.get(0).mountPoint() + " is still mounted and could not be unmounted");
        }
    }

    /**
     * Unmounts every mount of {@code image} (through a loop device or FUSE) and detaches its loop devices; returns the
     * mount points it unmounted.
     */
    public static List<Path> release(Path image) throws IOException {
        String file = image.toAbsolutePath().toString();
        List<Path> unmounted = new ArrayList<>();
        for (Mount mount : read()) {
            if (mount.source().equals(file) || file.equals(loopBackingFile(mount.source()))) {
                unmount(mount);
                unmounted.add(mount.mountPoint());
            }
        }
        for (String loop : loopDevicesOf(file)) {
            detachLoop(loop, file);
        }
        if (!loopDevicesOf(file).isEmpty()) {
            // a process still holds the lazily unmounted file system; the device goes when that process does
            LOG.warn("image {} stays attached to {} until its last user ends", file, loopDevicesOf(file));
        }
        return unmounted;
    }

    public static List<Mount> read() throws IOException {
        List<Mount> mounts = new ArrayList<>();
        for (String line : Files.readAllLines(MOUNTINFO, StandardCharsets.UTF_8)) {
            // id parent major:minor root mountPoint options [optional fields...] - fsType source superOptions
            String[] fields = line.split(" ");
            int separator = List.of(fields).indexOf("-");
            if (fields.length >= 5 && separator >= 0 && separator + 2 < fields.length) {
                mounts.add(new Mount(Path.of(unescape(fields[4])), unescape(fields[separator + 1]),
                        unescape(fields[separator + 2])));
            }
        }
        return mounts;
    }

    /** The loop devices (e.g. /dev/loop3) whose backing file is {@code file}. */
    public static List<String> loopDevicesOf(String file) {
        List<String> devices = new ArrayList<>();
        try (DirectoryStream<Path> loops = Files.newDirectoryStream(LOOP_DEVICES, "loop*")) {
            for (Path loop : loops) {
                String device = "/dev/" + loop.getFileName();
                if (file.equals(loopBackingFile(device))) {
                    devices.add(device);
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot list the loop devices in {}: {}", LOOP_DEVICES, e.getMessage());
        }
        return devices;
    }

    private static List<Mount> below(Path real) throws IOException {
        String prefix = real + "/";
        List<Mount> below = new ArrayList<>();
        for (Mount mount : read()) {
            if (mount.mountPoint().equals(real) || mount.mountPoint().toString().startsWith(prefix)) {
                below.add(mount);
            }
        }
        return below;
    }

    private static void unmount(Mount mount) throws IOException {
        String backing = loopBackingFile(mount.source());
        String point = mount.mountPoint().toString();
        boolean fuseAsUser = mount.fsType().startsWith("fuse") && !isRoot();
        String[] plain = fuseAsUser ? new String[] {"fusermount", "-u", point} : new String[] {"umount", point};
        String[] lazy = fuseAsUser ? new String[] {"fusermount", "-u", "-z", point}
                : new String[] {"umount", "-l", point};
        String failure = run(plain);
        if (failure != null) {
            // busy: detach it from the tree now; the kernel frees it once its last user lets go
            String lazyFailure = run(lazy);
            if (lazyFailure != null) {
                throw new IOException("cannot unmount " + point + ": " + lazyFailure);
            }
            LOG.warn("{} was busy and was unmounted lazily ({})", point, failure);
        }
        LOG.info("unmounted {} ({})", point, mount.source());
        if (backing != null) {
            detachLoop(mount.source(), backing);
        }
    }

    /**
     * Detaches a loop device if it still serves {@code backingFile}: a device freed by the unmount may already
     * serve another volume. Detaching a busy device only marks it to go when its last user does.
     */
    private static void detachLoop(String device, String backingFile) throws IOException {
        if (!backingFile.equals(loopBackingFile(device))) {
            return;
        }
        String failure = run("losetup", "-d", device);
        if (failure != null && backingFile.equals(loopBackingFile(device))) {
            throw new IOException("cannot detach loop device " + device + ": " + failure);
        }
    }

    /** The file behind a loop device, or null when {@code source} is no attached loop device. */
    private static String loopBackingFile(String source) {
        Matcher loop = LOOP.matcher(source);
        if (!loop.matches()) {
            return null;
        }
        try {
            return Files.readString(LOOP_DEVICES.resolve(loop.group(1)).resolve("loop/backing_file"),
                    StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return null;
        }
    }

    /** Runs a tool; returns null on success, else its error output in one line. */
    public static String run(String... command) throws IOException {
        HostCommand.Result result = HostCommand.run(COMMAND_TIMEOUT_SECONDS, command);
        return result.ok() ? null : result.error(command[0]);
    }

    /** Runs a tool and answers its output; a failure is an IOException with its error output. */
    public static String output(String... command) throws IOException {
        HostCommand.Result result = HostCommand.run(COMMAND_TIMEOUT_SECONDS, command);
        if (!result.ok()) {
            throw new IOException(String.join(" ", command) + " failed: " + result.error(command[0]));
        }
        return result.output();
    }

    public static String locate(String tool) {
        return HostCommand.locate(tool);
    }

    private static boolean isRoot() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** The kernel writes space, tab, newline and backslash in the mount table as octal escapes (\040 ...). */
    private static String unescape(String field) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length() && field.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
