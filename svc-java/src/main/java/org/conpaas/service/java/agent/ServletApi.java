package org.conpaas.service.java.agent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Tells a web application written against Java EE's {@code javax.servlet} from one written against Jakarta EE's
 * {@code jakarta.servlet} (what Tomcat 10.1 runs), by looking for references to {@code javax/servlet/} in its compiled
 * classes: {@code WEB-INF/classes} and the jars of {@code WEB-INF/lib}.
 */
final class ServletApi {

    private static final byte[] JAVAX_SERVLET = "javax/servlet/".getBytes(StandardCharsets.US_ASCII);

    private ServletApi() {
    }

    static boolean usesJavax(Path webapp) throws IOException {
        Path classes = webapp.resolve("WEB-INF").resolve("classes");
        if (Files.isDirectory(classes)) {
            try (Stream<Path> walk = Files.walk(classes)) {
                for (Path file : walk.filter(p -> p.toString().endsWith(".class") && Files.isRegularFile(p)).toList()) {
                    if (contains(Files.readAllBytes(file))) {
                        return true;
                    }
                }
            }
        }
        Path lib = webapp.resolve("WEB-INF").resolve("lib");
        if (Files.isDirectory(lib)) {
            List<Path> jars;
            try (Stream<Path> entries = Files.list(lib)) {
                jars = entries.filter(p -> p.toString().endsWith(".jar") && Files.isRegularFile(p)).toList();
            }
            for (Path jar : jars) {
                if (jarUsesJavax(jar)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean jarUsesJavax(Path jar) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (Enumeration<? extends ZipEntry> entries = zip.entries(); entries.hasMoreElements(); ) {
                ZipEntry entry = entries.nextElement();
                if (entry.getName().endsWith(".class")) {
                    try (InputStream in = zip.getInputStream(entry)) {
                        if (contains(in.readAllBytes())) {
                            return true;
                        }
                    }
                }
            }
        } catch (java.util.zip.ZipException notAJar) {
            return false; // not ours to judge: Tomcat reports a broken jar itself
        }
        return false;
    }

    private static boolean contains(byte[] data) {
        outer:
        for (int i = 0; i <= data.length - JAVAX_SERVLET.length; i++) {
            for (int j = 0; j < JAVAX_SERVLET.length; j++) {
                if (data[i + j] != JAVAX_SERVLET[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
