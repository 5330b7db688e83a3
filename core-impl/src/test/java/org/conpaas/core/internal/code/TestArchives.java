package org.conpaas.core.internal.code;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;

/** Builds archives byte by byte, so tests can write exactly the hostile entries real tools refuse to make. */
final class TestArchives {

    private TestArchives() {
    }

    /** One tar entry: type '0' file, '2' symlink, '1' hard link, '5' directory, 'L' GNU long name. */
    record Entry(String name, char type, String link, byte[] data) {
        static Entry file(String name, String text) {
            return new Entry(name, '0', "", text.getBytes(StandardCharsets.UTF_8));
        }

        static Entry dir(String name) {
            return new Entry(name, '5', "", new byte[0]);
        }

        static Entry symlink(String name, String target) {
            return new Entry(name, '2', target, new byte[0]);
        }

        static Entry hardLink(String name, String target) {
            return new Entry(name, '1', target, new byte[0]);
        }
    }

    static byte[] tar(Entry... entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Entry entry : entries) {
            byte[] name = entry.name().getBytes(StandardCharsets.UTF_8);
            if (name.length > 100) {
                byte[] longName = (entry.name() + "\0").getBytes(StandardCharsets.UTF_8);
                writeEntry(out, "././@LongLink", 'L', "", longName);
                writeEntry(out, entry.name().substring(0, 99), entry.type(), entry.link(), entry.data());
            } else {
                writeEntry(out, entry.name(), entry.type(), entry.link(), entry.data());
            }
        }
        out.write(new byte[1024]);
        return out.toByteArray();
    }

    private static void writeEntry(OutputStream out, String name, char type, String link, byte[] data)
            throws IOException {
        byte[] header = new byte[512];
        put(header, 0, 100, name);
        put(header, 100, 8, "0000644");
        put(header, 108, 8, "0001750");
        put(header, 116, 8, "0001750");
        put(header, 124, 12, String.format("%011o", data.length));
        put(header, 136, 12, String.format("%011o", 1_700_000_000L));
        header[156] = (byte) type;
        put(header, 157, 100, link);
        put(header, 257, 6, "ustar");
        put(header, 263, 2, "00");
        for (int i = 148; i < 156; i++) {
            header[i] = ' ';
        }
        long sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        put(header, 148, 8, String.format("%06o", sum) + "\0 ");
        out.write(header);
        out.write(data);
        out.write(new byte[(512 - data.length % 512) % 512]);
    }

    private static void put(byte[] header, int offset, int length, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(bytes, 0, header, offset, Math.min(length, bytes.length));
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    static byte[] bzip2(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (BZip2CompressorOutputStream bz = new BZip2CompressorOutputStream(out)) {
            bz.write(data);
        }
        return out.toByteArray();
    }

    /** A tar.bz2 of one file holding {@code size} zero bytes, compressed as it is produced (never all in memory). */
    static byte[] tarBz2OfZeros(String name, long size) throws IOException {
        // an empty file's header given the real size: the data is streamed below instead of held in an array
        byte[] sized = tar(new Entry(name, '0', "", new byte[0]));
        put(sized, 124, 12, String.format("%011o", size));
        fixChecksum(sized);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (BZip2CompressorOutputStream bz = new BZip2CompressorOutputStream(out)) {
            bz.write(sized, 0, 512);
            byte[] zeros = new byte[1 << 20];
            for (long left = size; left > 0; left -= zeros.length) {
                bz.write(zeros, 0, (int) Math.min(zeros.length, left));
            }
            bz.write(new byte[(int) ((512 - size % 512) % 512) + 1024]);
        }
        return out.toByteArray();
    }

    private static void fixChecksum(byte[] header) {
        for (int i = 148; i < 156; i++) {
            header[i] = ' ';
        }
        long sum = 0;
        for (int i = 0; i < 512; i++) {
            sum += header[i] & 0xff;
        }
        put(header, 148, 8, String.format("%06o", sum) + "\0 ");
    }

    /** Name/content pairs. */
    static byte[] zip(String... namesAndTexts) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (int i = 0; i < namesAndTexts.length; i += 2) {
                zip.putNextEntry(new ZipEntry(namesAndTexts[i]));
                zip.write(namesAndTexts[i + 1].getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    /** A zip of one entry holding {@code size} zero bytes: compresses about a thousand times. */
    static byte[] zipOfZeros(String name, long size) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry(name));
            byte[] zeros = new byte[1 << 20];
            for (long left = size; left > 0; left -= zeros.length) {
                zip.write(zeros, 0, (int) Math.min(zeros.length, left));
            }
            zip.closeEntry();
        }
        return out.toByteArray();
    }

    /** Marks a zip entry as a Unix symbolic link in the central directory, as Info-ZIP's {@code zip -y} does. */
    static byte[] markZipSymlink(byte[] zip, String entryName) {
        ByteBuffer buffer = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        byte[] name = entryName.getBytes(StandardCharsets.UTF_8);
        for (int pos = 0; pos + 46 + name.length <= zip.length; pos++) {
            if (buffer.getInt(pos) == 0x02014b50 && buffer.getShort(pos + 28) == name.length
                    && java.util.Arrays.equals(zip, pos + 46, pos + 46 + name.length, name, 0, name.length)) {
                buffer.putShort(pos + 4, (short) ((3 << 8) | 20));
                buffer.putInt(pos + 38, 0120777 << 16);
                return zip;
            }
        }
        throw new IllegalArgumentException("no central directory entry " + entryName);
    }
}
