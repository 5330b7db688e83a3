package org.conpaas.core.internal.code;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;

/**
 * Decides whether an uploaded file is an acceptable code archive before anything of it is stored: the type by its
 * content (never its name), the size limit, every entry's path and link target, and the expansion limits. Only
 * reads the file; refusals are {@link org.conpaas.api.InvalidInputException}s on parameter {@code file} whose
 * UnsupportedArchiveException (not an archive: 415), TooLargeException (over a size, expansion or entry limit: 413),
 * or InvalidInputException naming the offending entry (400). Compressed tars are read through their decompressor,
 * so the expansion limit counts what they really expand to.
 */
public final class SafeArchives {

    static final String NOT_AN_ARCHIVE = "unsupported archive: the file is not a tar, tar.gz, tar.bz2 or zip archive";

    private SafeArchives() {
    }

    /** A checked archive: its type and, for tars, the bytes of tar data up to the end-of-archive block. */
    record Checked(ArchiveType type, long tarBytes) {
    }

    public static ArchiveType check(Path archive, ArchiveLimits limits) {
        return inspect(archive, limits).type();
    }

    static Checked inspect(Path archive, ArchiveLimits limits) {
        try {
            long size = Files.size(archive);
            if (size > limits.maxArchiveBytes()) {
                throw EntryRules.tooLarge("archive larger than " + ArchiveLimits.megabytes(limits.maxArchiveBytes())
                        + " MB");
            }
            ArchiveType type = detect(archive);
            EntryRules rules = new EntryRules(limits);
            long tarBytes = 0;
            switch (type) {
                case ZIP -> ZipReader.check(archive, rules);
                case TAR -> tarBytes = tar(Files.newInputStream(archive), rules);
                case TAR_GZ -> tarBytes = tar(gunzip(archive), rules);
                case TAR_BZ2 -> tarBytes = tar(bunzip2(archive), rules);
                default -> throw new IllegalStateException(type.name());
            }
            rules.finish();
            return new Checked(type, tarBytes);
        } catch (ZipException e) {
            throw EntryRules.refused("damaged archive: " + e.getMessage());
        } catch (IOException e) {
            // the decompressors report damaged or truncated data as plain IOExceptions (EOFException etc.)
            if (Files.isReadable(archive)) {
                throw EntryRules.refused("damaged archive: " + describe(e));
            }
            throw new UncheckedIOException("cannot read the uploaded archive", e);
        }
    }

    /** By magic numbers; a compressed file must hold a tar archive. */
    static ArchiveType detect(Path archive) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(archive)) {
            head = in.readNBytes(TarReader.BLOCK);
        }
        if (head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
            return ArchiveType.ZIP;
        }
        if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            requireTar(gunzip(archive), "gzip");
            return ArchiveType.TAR_GZ;
        }
        if (head.length >= 3 && head[0] == 'B' && head[1] == 'Z' && head[2] == 'h') {
            requireTar(bunzip2(archive), "bzip2");
            return ArchiveType.TAR_BZ2;
        }
        if (TarReader.isTarHeader(head, head.length)) {
            return ArchiveType.TAR;
        }
        throw EntryRules.unsupported(NOT_AN_ARCHIVE);
    }

    /** The tar inside a tar.gz, decompressed as it is read. */
    static InputStream gunzip(Path archive) throws IOException {
        InputStream file = Files.newInputStream(archive);
        try {
            return new GZIPInputStream(file, 64 * 1024);
        } catch (IOException | RuntimeException e) {
            file.close(); // the header was bad: nothing else will close the file
            throw e;
        }
    }

    /** The tar inside a tar.bz2 (also several concatenated bzip2 streams, as bzip2 and tar accept). */
    static InputStream bunzip2(Path archive) throws IOException {
        InputStream file = new BufferedInputStream(Files.newInputStream(archive), 64 * 1024);
        try {
            return new BZip2CompressorInputStream(file, true);
        } catch (IOException | RuntimeException e) {
            file.close(); // the header was bad: nothing else will close the file
            throw e;
        }
    }

    private static void requireTar(InputStream compressed, String format) throws IOException {
        byte[] first;
        try (InputStream in = compressed) {
            first = in.readNBytes(TarReader.BLOCK);
        }
        if (!TarReader.isTarHeader(first, first.length)) {
            throw EntryRules.unsupported("unsupported archive: the " + format + " file does not hold a tar archive");
        }
    }

    private static long tar(InputStream stream, EntryRules rules) throws IOException {
        try (InputStream in = stream) {
            return TarReader.check(in, rules);
        }
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? "the data is truncated or corrupt"
                : "the data is truncated or corrupt (" + message + ")";
    }
}
