package org.conpaas.service.support;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Expands a code archive (tar, tar.gz or zip, recognised by content) into an empty folder. The director checked the
 * archive on upload already; the agent checks again because it writes to its own disk: an entry whose path or link
 * target leaves the folder is refused with {@link IllegalArgumentException} naming it.
 * <p>
 * The same reader as svc-generic's (plug-ins share nothing but core-api at runtime, so each embeds its own copy).
 */
public final class CodeArchive {

    private static final int BLOCK = 512;

    private CodeArchive() {
    }

    public static void expand(Path archive, Path target) throws IOException {
        Files.createDirectories(target);
        Path root = target.toAbsolutePath().normalize();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(archive))) {
            in.mark(4);
            byte[] magic = in.readNBytes(4);
            in.reset();
            if (magic.length >= 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4) {
                expandZip(in, root);
            } else if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
                expandTar(new BufferedInputStream(new GZIPInputStream(in)), root);
            } else {
                expandTar(in, root);
            }
        }
    }

    private static void expandZip(InputStream in, Path root) throws IOException {
        try (ZipInputStream zip = new ZipInputStream(in, StandardCharsets.UTF_8)) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                Path destination = inside(root, entry.getName());
                if (entry.isDirectory()) {
                    Files.createDirectories(destination);
                } else {
                    writeFile(zip, destination, -1);
                }
            }
        }
    }

    /** POSIX ustar, with GNU long names and pax path records, which is what tar and most tools write. */
    private static void expandTar(InputStream in, Path root) throws IOException {
        byte[] header = new byte[BLOCK];
        String longName = null;
        String longLink = null;
        boolean sawEntry = false;
        while (true) {
            if (in.readNBytes(header, 0, BLOCK) < BLOCK) {
                if (!sawEntry) {
                    throw new IllegalArgumentException("the code archive is not a tar, tar.gz or zip file");
                }
                return; // a truncated end is tolerated once entries were read, as tar does
            }
            if (isZeroBlock(header)) {
                return;
            }
            if (!checksumMatches(header)) {
                throw new IllegalArgumentException("the code archive is not a tar, tar.gz or zip file");
            }
            sawEntry = true;
            char type = (char) header[156];
            long size = octal(header, 124, 12);
            String name = longName != null ? longName : name(header);
            String link = longLink != null ? longLink : text(header, 157, 100);
            longName = null;
            longLink = null;
            switch (type) {
                case 'L' -> longName = trimNul(new String(readData(in, size), StandardCharsets.UTF_8));
                case 'K' -> longLink = trimNul(new String(readData(in, size), StandardCharsets.UTF_8));
                case 'x' -> {
                    String[] pax = paxPathAndLink(readData(in, size));
                    longName = pax[0];
                    longLink = pax[1];
                }
                case 'g' -> readData(in, size);
                case '5' -> Files.createDirectories(inside(root, name));
                case '0', '\0', '7' -> {
                    writeFile(in, inside(root, name), size);
                    skipPadding(in, size);
                    setMode(inside(root, name), (int) octal(header, 100, 8));
                }
                case '2' -> symlink(root, name, link);
                default -> throw new IllegalArgumentException("entry " + name + " has an unsupported type ("
                        + (type == '1' ? "hard link" : "type " + type) + ")");
            }
        }
    }

    /** The destination of an entry, refused when it would land outside the folder. */
    static Path inside(Path root, String name) {
        if (name.isEmpty() || name.startsWith("/") || name.matches("^[A-Za-z]:.*")) {
            throw new IllegalArgumentException("entry " + name + " has an absolute path");
        }
        Path destination = root.resolve(name).normalize();
        if (!destination.startsWith(root)) {
            throw new IllegalArgumentException("entry " + name + " points outside the code folder");
        }
        // A symbolic link created by an earlier entry must not carry later entries out of the folder.
        for (Path parent = destination.getParent(); parent != null && parent.startsWith(root) && !parent.equals(root);
                parent = parent.getParent()) {
            if (Files.isSymbolicLink(parent)) {
                throw new IllegalArgumentException("entry " + name + " goes through the link " + root.relativize(parent));
            }
        }
        return destination;
    }

    private static void symlink(Path root, String name, String link) throws IOException {
        Path destination = inside(root, name);
        if (link.isEmpty() || link.startsWith("/")
                || !destination.getParent().resolve(link).normalize().startsWith(root)) {
            throw new IllegalArgumentException("entry " + name + " links outside the code folder (" + link + ")");
        }
        Files.createDirectories(destination.getParent());
        Files.deleteIfExists(destination);
        Files.createSymbolicLink(destination, Path.of(link));
    }

    private static void writeFile(InputStream in, Path destination, long size) throws IOException {
        Files.createDirectories(destination.getParent());
        if (Files.isSymbolicLink(destination)) {
            throw new IllegalArgumentException("entry " + destination.getFileName() + " would overwrite a link");
        }
        try (OutputStream out = Files.newOutputStream(destination)) {
            if (size < 0) {
                in.transferTo(out);
                return;
            }
            byte[] buffer = new byte[8192];
            long left = size;
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    throw new IllegalArgumentException("the code archive is truncated in " + destination.getFileName());
                }
                out.write(buffer, 0, n);
                left -= n;
            }
        }
    }

    /** Keeps the owner's execute bit (scripts may call the archive's own programs); never set-uid or world-writable. */
    private static void setMode(Path file, int mode) throws IOException {
        // Without POSIX permissions (or the execute bit) there is nothing to keep: scripts still run through bash.
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS) || (mode & 0100) == 0
                || !Files.getFileStore(file).supportsFileAttributeView(PosixFileAttributeView.class)) {
            return;
        }
        Set<PosixFilePermission> permissions = EnumSet.copyOf(Files.getPosixFilePermissions(file));
        permissions.add(PosixFilePermission.OWNER_EXECUTE);
        Files.setPosixFilePermissions(file, permissions);
    }

    private static byte[] readData(InputStream in, long size) throws IOException {
        if (size > 1 << 20) {
            throw new IllegalArgumentException("the code archive has an oversized header record");
        }
        byte[] data = in.readNBytes((int) size);
        skipPadding(in, size);
        return data;
    }

    private static void skipPadding(InputStream in, long size) throws IOException {
        long padding = (BLOCK - size % BLOCK) % BLOCK;
        in.readNBytes((int) padding);
    }

    private static String[] paxPathAndLink(byte[] data) {
        String[] result = new String[2];
        int at = 0;
        while (at < data.length) {
            int space = indexOf(data, (byte) ' ', at);
            if (space < 0) {
                break;
            }
            int length = Integer.parseInt(new String(data, at, space - at, StandardCharsets.US_ASCII).trim());
            if (length <= 0 || at + length > data.length) {
                break;
            }
            String record = new String(data, space + 1, at + length - space - 2, StandardCharsets.UTF_8);
            if (record.startsWith("path=")) {
                result[0] = record.substring(5);
            } else if (record.startsWith("linkpath=")) {
                result[1] = record.substring(9);
            }
            at += length;
        }
        return result;
    }

    private static int indexOf(byte[] data, byte value, int from) {
        for (int i = from; i < data.length; i++) {
            if (data[i] == value) {
                return i;
            }
        }
        return -1;
    }

    private static String name(byte[] header) {
        String name = text(header, 0, 100);
        String magic = text(header, 257, 6);
        String prefix = magic.startsWith("ustar") ? text(header, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    private static String text(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static String trimNul(String text) {
        int nul = text.indexOf('\0');
        return nul < 0 ? text : text.substring(0, nul);
    }

    private static long octal(byte[] header, int offset, int length) {
        String digits = text(header, offset, length).trim();
        if (digits.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(digits, 8);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the code archive has a corrupt tar header");
        }
    }

    private static boolean checksumMatches(byte[] header) {
        long expected;
        try {
            String digits = text(header, 148, 8).trim();
            expected = Long.parseLong(digits, 8);
        } catch (NumberFormatException e) {
            return false;
        }
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : (header[i] & 0xff);
        }
        return sum == expected;
    }

    private static boolean isZeroBlock(byte[] header) {
        for (byte b : header) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}
