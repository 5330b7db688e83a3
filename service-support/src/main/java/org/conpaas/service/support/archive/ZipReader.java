package org.conpaas.service.support.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Walks a zip archive through its central directory (what unzip and Python read), shows every entry to the
 * {@link EntryRules} and hands it to an {@link EntrySink}, inflating the data to count it. java.util.zip hides the Unix mode of entries, so the central
 * directory is also read here to find symbolic links (mode S_IFLNK, the target is the entry's data).
 */
final class ZipReader {

    private static final int END_OF_DIRECTORY = 0x06054b50;
    private static final int DIRECTORY_ENTRY = 0x02014b50;
    private static final int UNIX = 3;
    private static final int TYPE_MASK = 0170000;
    private static final int SYMLINK = 0120000;
    private static final int MAX_LINK_TARGET = 4096;

    private ZipReader() {
    }

    static void read(Path archive, EntryRules rules, EntrySink sink) throws IOException {
        Map<String, Integer> modes = unixModes(archive);
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                String name = rules.entry(entry.getName());
                Integer mode = modes.get(entry.getName());
                try (InputStream data = zip.getInputStream(entry)) {
                    if (mode != null && (mode & TYPE_MASK) == SYMLINK) {
                        byte[] target = data.readNBytes(MAX_LINK_TARGET + 1);
                        if (target.length > MAX_LINK_TARGET) {
                            throw EntryRules.refused("archive entry '" + entry.getName()
                                    + "' is a symbolic link with an overlong target");
                        }
                        String link = new String(target, StandardCharsets.UTF_8);
                        rules.symlink(name, link);
                        sink.symlink(name, link);
                    } else if (entry.isDirectory()) {
                        sink.directory(name);
                        count(data, rules, null);
                    } else {
                        try (OutputStream out = sink.file(name, mode == null ? 0 : mode)) {
                            count(data, rules, out);
                        }
                    }
                }
            }
        } catch (ZipException e) {
            throw EntryRules.refused("damaged archive: " + e.getMessage());
        }
    }

    private static void count(InputStream data, EntryRules rules, OutputStream out) throws IOException {
        byte[] buffer = new byte[8192];
        int read;
        while ((read = data.read(buffer)) >= 0) {
            rules.expanded(read);
            if (out != null) {
                out.write(buffer, 0, read);
            }
        }
    }

    /** Entry name to Unix mode, for entries written on Unix. */
    private static Map<String, Integer> unixModes(Path archive) throws IOException {
        try (FileChannel file = FileChannel.open(archive, StandardOpenOption.READ)) {
            long size = file.size();
            int tailLength = (int) Math.min(size, 22 + 65535);
            ByteBuffer tail = read(file, size - tailLength, tailLength);
            int end = -1;
            for (int i = tailLength - 22; i >= 0; i--) {
                if (tail.getInt(i) == END_OF_DIRECTORY) {
                    end = i;
                    break;
                }
            }
            if (end < 0) {
                throw EntryRules.refused("damaged archive: the zip central directory is missing (truncated?)");
            }
            int count = Short.toUnsignedInt(tail.getShort(end + 10));
            long directorySize = Integer.toUnsignedLong(tail.getInt(end + 12));
            long directoryOffset = Integer.toUnsignedLong(tail.getInt(end + 16));
            if (count == 0xffff || directorySize == 0xffffffffL || directoryOffset == 0xffffffffL) {
                throw EntryRules.unsupported("unsupported archive: zip64 archives are not supported");
            }
            if (directoryOffset + directorySize > size) {
                throw EntryRules.refused("damaged archive: the zip central directory lies outside the file");
            }
            ByteBuffer directory = read(file, directoryOffset, (int) directorySize);
            Map<String, Integer> modes = new HashMap<>();
            int pos = 0;
            for (int i = 0; i < count; i++) {
                if (pos + 46 > directory.limit() || directory.getInt(pos) != DIRECTORY_ENTRY) {
                    throw EntryRules.refused("damaged archive: a zip central directory entry is corrupt");
                }
                int madeBy = Short.toUnsignedInt(directory.getShort(pos + 4)) >> 8;
                int nameLength = Short.toUnsignedInt(directory.getShort(pos + 28));
                int extraLength = Short.toUnsignedInt(directory.getShort(pos + 30));
                int commentLength = Short.toUnsignedInt(directory.getShort(pos + 32));
                int external = directory.getInt(pos + 38);
                if (pos + 46 + nameLength > directory.limit()) {
                    throw EntryRules.refused("damaged archive: a zip central directory entry is corrupt");
                }
                byte[] name = new byte[nameLength];
                directory.get(pos + 46, name);
                if (madeBy == UNIX) {
                    modes.put(new String(name, StandardCharsets.UTF_8), external >>> 16);
                }
                pos += 46 + nameLength + extraLength + commentLength;
            }
            return modes;
        }
    }

    private static ByteBuffer read(FileChannel file, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining()) {
            if (file.read(buffer, position + buffer.position()) < 0) {
                throw EntryRules.refused("damaged archive: the zip file is truncated");
            }
        }
        return buffer.flip();
    }
}
