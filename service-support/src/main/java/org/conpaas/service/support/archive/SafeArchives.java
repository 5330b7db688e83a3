package org.conpaas.service.support.archive;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The project's one archive reader: the director checks uploads with it, agents expand code versions with it, and
 * service bundles expand what they carry (Tomcat). It decides whether a file is an acceptable archive before anything
 * of it is written: the type by its content (never its name), the size limit, every entry's path and link target,
 * and the expansion limits. Refusals are {@link org.conpaas.api.InvalidInputException}s on parameter {@value #PARAMETER}:
 * UnsupportedArchiveException (not an archive: 415), TooLargeException (over a size, expansion or entry limit: 413),
 * or InvalidInputException naming the offending entry (400). Compressed tars are read through their decompressor,
 * so the expansion limit counts what they really expand to.
 * <p>
 * tar.bz2 is read only with a bzip2 {@link Decompressor} (the director has one; nodes get a tar.gz copy instead).
 */
public final class SafeArchives {

    /** The parameter refusals name: the uploaded file. */
    public static final String PARAMETER = EntryRules.PARAMETER;
    public static final String NOT_AN_ARCHIVE =
            "unsupported archive: the file is not a tar, tar.gz, tar.bz2 or zip archive";
    /** A tar's block, and the size of its end-of-archive marker (two of them). */
    public static final int TAR_BLOCK = TarReader.BLOCK;

    /** Opens a compressed stream (bzip2 here). */
    public interface Decompressor {
        InputStream open(InputStream compressed) throws IOException;
    }

    /** A checked archive: its type and, for tars, the bytes of tar data up to the end-of-archive block. */
    public record Checked(ArchiveType type, long tarBytes) {
    }

    private SafeArchives() {
    }

    /** Checks an archive of any type but tar.bz2. */
    public static ArchiveType check(Path archive, ArchiveLimits limits) {
        return inspect(archive, limits, null).type();
    }

    /** Checks an archive; {@code bzip2} reads tar.bz2 (null: tar.bz2 is unsupported). */
    public static Checked inspect(Path archive, ArchiveLimits limits, Decompressor bzip2) {
        return walk(archive, limits, bzip2, EntrySink.NOWHERE);
    }

    /** The entries of a checked archive (any type but tar.bz2), as normalised relative paths in archive order. */
    public static List<String> entryNames(Path archive, ArchiveLimits limits) {
        List<String> names = new ArrayList<>();
        walk(archive, limits, null, new EntrySink() {
            @Override
            public void directory(String name) {
                names.add(name + "/");
            }

            @Override
            public OutputStream file(String name, int mode) {
                names.add(name);
                return null;
            }

            @Override
            public void symlink(String name, String target) {
                names.add(name);
            }

            @Override
            public void hardLink(String name, String target) {
                names.add(name);
            }
        });
        return names;
    }

    /**
     * Checks the archive completely, then expands it into {@code target} (created; it should be new and empty). A
     * refused archive writes nothing; an archive that fails while it is written (a full disk) leaves what was
     * written, which the caller deletes.
     */
    public static void expand(Path archive, Path target, ArchiveLimits limits) throws IOException {
        inspect(archive, limits, null);
        Files.createDirectories(target);
        walk(archive, limits, null, new FolderWriter(target));
    }

    private static Checked walk(Path archive, ArchiveLimits limits, Decompressor bzip2, EntrySink sink) {
        try {
            long size = Files.size(archive);
            if (size > limits.maxArchiveBytes()) {
                throw EntryRules.tooLarge("archive larger than " + ArchiveLimits.megabytes(limits.maxArchiveBytes())
                        + " MB");
            }
            ArchiveType type = detect(archive, bzip2);
            EntryRules rules = new EntryRules(limits);
            long tarBytes = 0;
            switch (type) {
                case ZIP -> ZipReader.read(archive, rules, sink);
                case TAR -> tarBytes = tar(Files.newInputStream(archive), rules, sink);
                case TAR_GZ -> tarBytes = tar(gunzip(archive), rules, sink);
                case TAR_BZ2 -> tarBytes = tar(decompress(archive, bzip2), rules, sink);
                default -> throw new IllegalStateException(type.name());
            }
            rules.finish();
            return new Checked(type, tarBytes);
        } catch (ZipException e) {
            throw EntryRules.refused("damaged archive: " + e.getMessage());
        } catch (IOException e) {
            // the decompressors report damaged or truncated data as plain IOExceptions (EOFException etc.)
            if (!(sink instanceof FolderWriter) && Files.isReadable(archive)) {
                throw EntryRules.refused("damaged archive: " + describe(e));
            }
            throw new UncheckedIOException("cannot read or expand the archive " + archive.getFileName(), e);
        }
    }

    /** By magic numbers; a compressed file must hold a tar archive. */
    static ArchiveType detect(Path archive, Decompressor bzip2) throws IOException {
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
            if (bzip2 == null) {
                throw EntryRules.unsupported("unsupported archive: tar.bz2 is read by the director only");
            }
            requireTar(decompress(archive, bzip2), "bzip2");
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

    /** The tar inside a compressed file, decompressed as it is read. */
    public static InputStream decompress(Path archive, Decompressor decompressor) throws IOException {
        InputStream file = new BufferedInputStream(Files.newInputStream(archive), 64 * 1024);
        try {
            return decompressor.open(file);
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

    private static long tar(InputStream stream, EntryRules rules, EntrySink sink) throws IOException {
        try (InputStream in = stream) {
            return TarReader.read(in, rules, sink);
        }
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? "the data is truncated or corrupt"
                : "the data is truncated or corrupt (" + message + ")";
    }
}
