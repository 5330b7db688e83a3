package org.conpaas.core.internal.accounts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Where the first administrator's password is written: a file only its owner (the director's OS user) may read. */
public final class AdminPasswordFile {
    public static final String NAME = "admin-password.txt";

    private final Path path;

    public AdminPasswordFile(Path dataDir) {
        this.path = dataDir.resolve(NAME);
    }

    public Path path() {
        return path;
    }

    /** Replaces the file; it is created with mode rw------- so that it is never readable by others, not even briefly. */
    void write(String password) {
        try {
            Files.createDirectories(path.getParent());
            Files.deleteIfExists(path);
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(path);
                path.toFile().setReadable(false, false);
                path.toFile().setReadable(true, true);
                path.toFile().setWritable(false, false);
                path.toFile().setWritable(true, true);
            }
            Files.writeString(path, password + System.lineSeparator(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path, e);
        }
    }
}
