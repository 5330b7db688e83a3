package org.conpaas.service.web;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** Tells the kinds of code archive the web hosting types care about apart by their content. */
public final class CodeKinds {

    private CodeKinds() {
    }

    /** A Java web archive: a zip file holding a {@code WEB-INF/} folder. */
    public static boolean isWar(Path archive) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(archive))) {
            in.mark(4);
            byte[] magic = in.readNBytes(4);
            in.reset();
            if (magic.length < 4 || magic[0] != 'P' || magic[1] != 'K' || magic[2] != 3 || magic[3] != 4) {
                return false;
            }
            try (ZipInputStream zip = new ZipInputStream(in)) {
                for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                    String name = entry.getName();
                    if (name.startsWith("WEB-INF/") || name.startsWith("/WEB-INF/")) {
                        return true;
                    }
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the code archive " + archive.getFileName(), e);
        }
    }
}
