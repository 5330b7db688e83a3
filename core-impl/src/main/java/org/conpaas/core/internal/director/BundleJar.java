package org.conpaas.core.internal.director;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.osgi.framework.Bundle;

/**
 * Rebuilds the jar of an installed bundle from its entries, so that the director can push to agents exactly the
 * bundle it runs, wherever that bundle came from (feature, deploy/ folder, a file deleted since). The output is
 * deterministic (sorted entries, fixed times) so an agent sees the same SHA-256 for the same bundle.
 */
final class BundleJar {
    private static final String MANIFEST = "META-INF/MANIFEST.MF";

    private final Bundle bundle;
    private byte[] cached;
    private long cachedModified = -1;

    BundleJar(Bundle bundle) {
        this.bundle = bundle;
    }

    synchronized byte[] bytes() {
        if (cached == null || cachedModified != bundle.getLastModified()) {
            cachedModified = bundle.getLastModified();
            cached = build();
        }
        return cached;
    }

    private byte[] build() {
        List<String> paths = new ArrayList<>();
        Enumeration<URL> entries = bundle.findEntries("/", "*", true);
        for (URL url : entries == null ? Collections.<URL>emptyList() : Collections.list(entries)) {
            String path = url.getPath().startsWith("/") ? url.getPath().substring(1) : url.getPath();
            if (!path.isEmpty() && !path.endsWith("/") && !path.equals(MANIFEST)) {
                paths.add(path);
            }
        }
        Collections.sort(paths);
        paths.add(0, MANIFEST);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(out)) {
            for (String path : paths) {
                URL url = bundle.getEntry(path);
                if (url == null) {
                    continue;
                }
                JarEntry entry = new JarEntry(path);
                entry.setTime(0);
                jar.putNextEntry(entry);
                try (InputStream in = url.openStream()) {
                    in.transferTo(jar);
                }
                jar.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read bundle " + bundle.getSymbolicName(), e);
        }
        return out.toByteArray();
    }
}
