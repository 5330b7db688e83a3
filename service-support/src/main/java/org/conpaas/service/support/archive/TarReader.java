package org.conpaas.service.support.archive;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Walks a tar stream (ustar, GNU long names, pax extended headers) in 512-byte blocks, shows every entry to the
 * {@link EntryRules} and hands it to an {@link EntrySink}. Data is read and counted, not trusted from the headers.
 */
final class TarReader {

    static final int BLOCK = 512;
    /** Long names and pax headers are small; a huge one is an attack on our memory. */
    private static final int MAX_META_BYTES = 1024 * 1024;

    private final InputStream in;
    private final EntryRules rules;
    private final EntrySink sink;
    private final byte[] block = new byte[BLOCK];

    private TarReader(InputStream in, EntryRules rules, EntrySink sink) {
        this.in = in;
        this.rules = rules;
        this.sink = sink;
    }

    /**
     * Walks the archive into {@code sink}; returns how many bytes it takes up to its end-of-archive block, included
     * (tar ignores the rest).
     */
    static long read(InputStream in, EntryRules rules, EntrySink sink) throws IOException {
        CountingInputStream counted = new CountingInputStream(in);
        new TarReader(counted, rules, sink).walk();
        return counted.count;
    }

    /** Whether a first block is a tar header: "ustar" at 257 (POSIX and GNU both write it). */
    static boolean isTarHeader(byte[] first, int length) {
        return length >= 262 && first[257] == 'u' && first[258] == 's' && first[259] == 't' && first[260] == 'a'
                && first[261] == 'r';
    }

    private void walk() throws IOException {
        String longName = null;
        String longLink = null;
        Map<String, String> pax = new HashMap<>();
        while (true) {
            readBlock();
            if (allZero(block)) {
                return; // end of archive; whatever follows is never expanded by tar either
            }
            verifyChecksum();
            char type = (char) block[156];
            long size = number(124, 12);
            String name = longName != null ? longName : pax.getOrDefault("path", headerName());
            String link = longLink != null ? longLink : pax.getOrDefault("linkpath", text(157, 100));
            switch (type) {
                case 'L' -> {
                    longName = trimNul(readMeta(size));
                    continue;
                }
                case 'K' -> {
                    longLink = trimNul(readMeta(size));
                    continue;
                }
                case 'x' -> {
                    pax = paxRecords(readMeta(size));
                    continue;
                }
                case 'g' -> {
                    readMeta(size); // global defaults (e.g. git's commit id) do not name entries
                    continue;
                }
                case 'V' -> {
                    copy(size, false, null); // a volume label is not an entry
                    continue;
                }
                default -> {
                    // an entry: judged below
                }
            }
            longName = null;
            longLink = null;
            pax = new HashMap<>();
            String entry = rules.entry(name);
            OutputStream data = null;
            switch (type) {
                case '1' -> {
                    rules.hardLink(entry, link);
                    sink.hardLink(entry, link);
                }
                case '2' -> {
                    rules.symlink(entry, link);
                    sink.symlink(entry, link);
                }
                case '5' -> sink.directory(entry);
                case '3', '4', '6' -> throw EntryRules.refused("archive entry '" + name
                        + "' is a device or a FIFO, which a code archive may not hold");
                case 'S', 'M' -> throw EntryRules.unsupported("unsupported archive: entry '" + name
                        + "' is a GNU sparse or multi-volume entry");
                default -> data = sink.file(entry, (int) number(100, 8)); // a file, or a type tar treats as one
            }
            // links and directories normally have no data; any they have is skipped, not counted as expanded files
            try (OutputStream out = data) {
                copy(size, type != '1' && type != '2' && type != '5', out);
            }
        }
    }

    private void readBlock() throws IOException {
        int read = in.readNBytes(block, 0, BLOCK);
        if (read < BLOCK) {
            throw truncated();
        }
    }

    private byte[] readMeta(long size) throws IOException {
        if (size > MAX_META_BYTES) {
            throw EntryRules.refused("damaged archive: an extended tar header of " + size + " bytes");
        }
        byte[] data = in.readNBytes((int) size);
        if (data.length < size) {
            throw truncated();
        }
        skipPadding(size);
        return data;
    }

    /**
     * Reads the data of an entry, counting it against the expansion limit when it expands to a file, into {@code out}
     * when there is one.
     */
    private void copy(long size, boolean counts, OutputStream out) throws IOException {
        byte[] buffer = new byte[8192];
        long left = size;
        while (left > 0) {
            int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (read < 0) {
                throw truncated();
            }
            left -= read;
            if (counts) {
                rules.expanded(read);
            }
            if (out != null) {
                out.write(buffer, 0, read);
            }
        }
        skipPadding(size);
    }

    private void skipPadding(long size) throws IOException {
        int padding = (int) ((BLOCK - size % BLOCK) % BLOCK);
        if (in.readNBytes(padding).length < padding) {
            throw truncated();
        }
    }

    private String headerName() {
        String name = text(0, 100);
        String prefix = isTarHeader(block, BLOCK) ? text(345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    private void verifyChecksum() {
        long stored;
        try {
            stored = number(148, 8);
        } catch (IllegalArgumentException e) {
            throw damaged();
        }
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : (block[i] & 0xff);
        }
        if (sum != stored) {
            throw damaged();
        }
    }

    /** An octal field, or GNU's base-256 form (high bit set) for large values. */
    private long number(int offset, int length) {
        if ((block[offset] & 0x80) != 0) {
            long value = 0;
            for (int i = offset + 1; i < offset + length; i++) {
                value = (value << 8) | (block[i] & 0xff);
                if (value < 0 || value > (1L << 48)) {
                    throw damaged();
                }
            }
            return value;
        }
        String text = text(offset, length).trim();
        if (text.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(text, 8);
        } catch (NumberFormatException e) {
            throw damaged();
        }
    }

    private String text(int offset, int length) {
        int end = offset;
        while (end < offset + length && block[end] != 0) {
            end++;
        }
        return new String(block, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static String trimNul(byte[] data) {
        int end = 0;
        while (end < data.length && data[end] != 0) {
            end++;
        }
        return new String(data, 0, end, StandardCharsets.UTF_8);
    }

    /** "LEN key=value\n" records. */
    private static Map<String, String> paxRecords(byte[] data) {
        Map<String, String> records = new HashMap<>();
        int pos = 0;
        while (pos < data.length && data[pos] != 0) {
            int space = pos;
            while (space < data.length && data[space] != ' ') {
                space++;
            }
            int length;
            try {
                length = Integer.parseInt(new String(data, pos, space - pos, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                throw damaged();
            }
            if (length <= space - pos || pos + length > data.length) {
                throw damaged();
            }
            String record = new String(data, space + 1, pos + length - space - 2, StandardCharsets.UTF_8);
            int equals = record.indexOf('=');
            if (equals > 0) {
                records.put(record.substring(0, equals), record.substring(equals + 1));
            }
            pos += length;
        }
        return records;
    }

    private static boolean allZero(byte[] data) {
        for (byte b : data) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /** Counts what the walk consumed (reads and skips alike go through read). */
    private static final class CountingInputStream extends FilterInputStream {
        private long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int read = super.read(buffer, offset, length);
            if (read > 0) {
                count += read;
            }
            return read;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count += skipped;
            return skipped;
        }
    }

    private static RuntimeException truncated() {
        return EntryRules.refused("damaged archive: the tar data is truncated");
    }

    private static RuntimeException damaged() {
        return EntryRules.refused("damaged archive: a tar header is corrupt");
    }
}
