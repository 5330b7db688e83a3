package org.conpaas.cloud.lxc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The host's own accounts and groups ({@code /etc/passwd}, {@code /etc/group}): none may have an id in the
 * containers' ranges, or root in some node would own that account's files.
 */
final class HostAccounts {

    static final List<Path> FILES = List.of(Path.of("/etc/passwd"), Path.of("/etc/group"));

    private HostAccounts() {
    }

    /** The first entry, as "name (id N in file)", whose id is in {@code first}-{@code last}; unreadable files hold none. */
    static Optional<String> firstIn(long first, long last, List<Path> files) {
        for (Path file : files) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (IOException | RuntimeException e) {
                continue;
            }
            for (String line : lines) {
                String[] fields = line.split(":", -1);
                if (fields.length > 2 && fields[2].matches("[0-9]{1,10}")) {
                    long id = Long.parseLong(fields[2]);
                    if (id >= first && id <= last) {
                        return Optional.of(fields[0] + " (id " + id + " in " + file + ")");
                    }
                }
            }
        }
        return Optional.empty();
    }
}
