package org.conpaas.service.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** The code-default version of a web hosting type: a zip of files its bundle carries below {@code /code-default/}. */
public final class DefaultCode {

    static final String FOLDER = "/code-default/";

    private DefaultCode() {
    }

    /** Zips {@code /code-default/<name>} of {@code owner}'s bundle for every name, under that name. */
    public static byte[] zip(Class<?> owner, List<String> names) {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(zip)) {
            for (String name : names) {
                try (InputStream file = owner.getResourceAsStream(FOLDER + name)) {
                    if (file == null) {
                        throw new IllegalStateException("the bundle lacks " + FOLDER + name);
                    }
                    out.putNextEntry(new ZipEntry(name));
                    file.transferTo(out);
                    out.closeEntry();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the welcome page", e);
        }
        return zip.toByteArray();
    }
}
