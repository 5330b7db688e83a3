package org.conpaas.service.support.host;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Node files hold private keys and the store password, so only the owner may read them; as root the driver gives a
 * node's files to the node's account.
 */
public final class FilePermissions {

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private FilePermissions() {
    }

    public static void writePrivate(Path file, byte[] content) throws IOException {
        Files.deleteIfExists(file);
        if (POSIX) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.write(file, content, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
    }

    /** Creates an empty file only the owner may read; fails with FileAlreadyExistsException if it exists. */
    public static void createPrivateFile(Path file) throws IOException {
        if (POSIX) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(file);
        }
    }

    /** Sets the mode, e.g. {@code rwxr-x---}, without following a link. */
    public static void setMode(Path path, String mode) throws IOException {
        if (POSIX && !Files.isSymbolicLink(path)) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
        }
    }

    /** Gives one file or folder (never what a link points to) to a uid and gid. */
    /**
     * Gives others the execute (enter, not list) permission on {@code dir} and every folder above it that lacks it, so
     * that another account reaches what lies below; returns the folders changed, for the caller to say so.
     */
    public static List<Path> letOthersEnter(Path dir) throws IOException {
        List<Path> opened = new ArrayList<>();
        for (Path p = dir.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
            Set<PosixFilePermission> modes = Files.getPosixFilePermissions(p);
            if (!modes.contains(PosixFilePermission.OTHERS_EXECUTE)) {
                Set<PosixFilePermission> wider = EnumSet.copyOf(modes);
                wider.add(PosixFilePermission.OTHERS_EXECUTE);
                Files.setPosixFilePermissions(p, wider);
                opened.add(p);
            }
        }
        return opened;
    }

    public static void setOwner(Path path, long uid, long gid) throws IOException {
        Files.setAttribute(path, "unix:uid", Math.toIntExact(uid), LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(path, "unix:gid", Math.toIntExact(gid), LinkOption.NOFOLLOW_LINKS);
    }

    /** Gives a whole tree to a uid and gid; links are given themselves, never followed. */
    public static void setOwnerOfTree(Path tree, long uid, long gid) throws IOException {
        try (Stream<Path> walk = Files.walk(tree)) {
            for (Path p : walk.toList()) {
                setOwner(p, uid, gid);
            }
        }
    }

    /**
     * Creates a folder only the owner may enter, named {@code <prefix><8 random hex digits>}, in {@code parent}; the
     * name is drawn again in the rare case it is taken, so two callers never get the same one. Returns the name.
     */
    public static String createUniquePrivateDirectory(Path parent, String prefix) throws IOException {
        Files.createDirectories(parent);
        while (true) {
            String name = prefix + String.format("%08x", java.util.concurrent.ThreadLocalRandom.current().nextInt());
            try {
                createPrivateDirectory(parent.resolve(name));
                return name;
            } catch (java.nio.file.FileAlreadyExistsException taken) {
                // 1 in 4 billion; draw again
            }
        }
    }

    public static void createPrivateDirectory(Path dir) throws IOException {
        if (POSIX) {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectory(dir);
        }
    }
}
