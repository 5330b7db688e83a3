package org.conpaas.service.support.archive;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * Writes the entries of an archive that passed the check into an empty folder. The check already refused every path or
 * link that leaves the folder; each destination is still resolved and refused here if it would, since this is what
 * writes to the disk.
 */
final class FolderWriter implements EntrySink {

    private final Path root;

    FolderWriter(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public void directory(String name) throws IOException {
        if (!name.isEmpty()) { // "" is the archive folder itself ("./")
            Files.createDirectories(inside(name));
        }
    }

    @Override
    public OutputStream file(String name, int mode) throws IOException {
        Path destination = inside(name);
        Files.createDirectories(destination.getParent());
        Files.deleteIfExists(destination);
        OutputStream out = Files.newOutputStream(destination);
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] data, int offset, int length) throws IOException {
                out.write(data, offset, length);
            }

            @Override
            public void close() throws IOException {
                super.close();
                keepOwnerExecute(destination, mode);
            }
        };
    }

    @Override
    public void symlink(String name, String target) throws IOException {
        Path destination = inside(name);
        Files.createDirectories(destination.getParent());
        Files.deleteIfExists(destination);
        Files.createSymbolicLink(destination, Path.of(target));
    }

    /** A copy of the earlier entry: the folder then holds plain files only, whatever moves them later. */
    @Override
    public void hardLink(String name, String target) throws IOException {
        Path destination = inside(name);
        Path source = inside(target);
        Files.createDirectories(destination.getParent());
        if (Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
            Files.copy(source, destination, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private Path inside(String name) {
        Path destination = root.resolve(name).normalize();
        if (!destination.startsWith(root) || destination.equals(root)) {
            throw EntryRules.refused("archive entry '" + name + "' leaves the archive folder");
        }
        for (Path parent = destination.getParent(); !parent.equals(root); parent = parent.getParent()) {
            if (Files.isSymbolicLink(parent)) {
                throw EntryRules.refused("archive entry '" + name + "' is written through a symbolic link");
            }
        }
        return destination;
    }

    /** Keeps the owner's execute bit (scripts may call the archive's own programs); never set-uid or world-writable. */
    private static void keepOwnerExecute(Path file, int mode) throws IOException {
        if ((mode & 0100) == 0
                || !Files.getFileStore(file).supportsFileAttributeView(PosixFileAttributeView.class)) {
            return;
        }
        Set<PosixFilePermission> permissions = EnumSet.copyOf(Files.getPosixFilePermissions(file));
        permissions.add(PosixFilePermission.OWNER_EXECUTE);
        Files.setPosixFilePermissions(file, permissions);
    }
}
