package org.conpaas.core.internal.files;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes every permission of group and others off a file or folder (a file becomes 600, or 700 if it is a program; a
 * folder 700), keeping the owner's. Only files and folders are changed; links are never followed (a link is left
 * alone, and so is what it points to).
 */
final class OwnerOnly {

    private static final Logger LOG = LoggerFactory.getLogger(OwnerOnly.class);
    static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> GROUP_AND_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private OwnerOnly() {
    }

    /**
     * @return true when the mode was changed; false when it was already owner-only, is a link or is gone, or cannot be
     *         changed (another account's file: logged, so that one file never stops the others being restricted)
     */
    static boolean restrict(Path path) throws IOException {
        if (!POSIX) {
            return false;
        }
        try {
            PosixFileAttributes attributes = Files.readAttributes(path, PosixFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isRegularFile() && !attributes.isDirectory()) {
                return false; // links, and sockets or pipes nobody reads secrets from
            }
            Set<PosixFilePermission> mode = attributes.permissions();
            if (!mode.removeAll(GROUP_AND_OTHERS)) {
                return false;
            }
            Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setPermissions(mode);
            return true;
        } catch (NoSuchFileException gone) {
            return false; // a temporary file moved away in the meantime
        } catch (FileSystemException e) {
            LOG.warn("cannot make {} readable by the director's OS user only: {}", path, e.toString());
            return false;
        }
    }

    /** Restricts a whole tree (links are not followed); returns how many modes changed. */
    static int restrictTree(Path root) throws IOException {
        if (!POSIX || !Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(root)) {
            paths = walk.toList();
        }
        int changed = 0;
        for (Path path : paths) {
            if (restrict(path)) {
                changed++;
            }
        }
        return changed;
    }

    /** True when neither group nor others have any permission (or the file system has no POSIX modes). */
    static boolean isOwnerOnly(Path path) throws IOException {
        if (!POSIX) {
            return true;
        }
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
        mode.retainAll(GROUP_AND_OTHERS);
        return mode.isEmpty();
    }
}
