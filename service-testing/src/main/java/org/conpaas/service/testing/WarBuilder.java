package org.conpaas.service.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds a WAR in a test: Java sources compiled with the JDK's compiler against a servlet API jar, plus plain files
 * (JSPs, static files, web.xml).
 */
public final class WarBuilder {

    private final Map<String, String> sources = new LinkedHashMap<>();
    private final Map<String, String> files = new LinkedHashMap<>();

    /** A class, e.g. {@code source("app.Hello", "package app; ...")}; compiled into WEB-INF/classes. */
    public WarBuilder source(String className, String code) {
        sources.put(className, code);
        return this;
    }

    /** A file of the WAR, by its path inside it. */
    public WarBuilder file(String path, String text) {
        files.put(path, text);
        return this;
    }

    /** The jar that holds {@code className} on this test's class path (the servlet API to compile against). */
    public static Path jarOf(String className) {
        try {
            return Path.of(Class.forName(className).getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (ClassNotFoundException | URISyntaxException e) {
            throw new IllegalStateException("the test's class path lacks " + className, e);
        }
    }

    /** Compiles and zips into {@code war}. */
    public Path build(Path war, Path servletApi) throws IOException {
        Path work = Files.createTempDirectory(war.toAbsolutePath().getParent(), "war-");
        try {
            Path src = work.resolve("src");
            Path classes = work.resolve("classes");
            Files.createDirectories(classes);
            List<String> arguments = new ArrayList<>(List.of("-d", classes.toString(), "-classpath",
                    servletApi.toString(), "--release", "17", "-nowarn"));
            for (Map.Entry<String, String> source : sources.entrySet()) {
                Path file = src.resolve(source.getKey().replace('.', '/') + ".java");
                Files.createDirectories(file.getParent());
                Files.writeString(file, source.getValue());
                arguments.add(file.toString());
            }
            if (!sources.isEmpty()) {
                JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
                if (compiler == null) {
                    throw new IllegalStateException("no Java compiler: the tests need a JDK, not a JRE");
                }
                ByteArrayOutputStream errors = new ByteArrayOutputStream();
                int exit = compiler.run(null, errors, errors, arguments.toArray(String[]::new));
                if (exit != 0) {
                    throw new IllegalStateException("the test servlet does not compile: "
                            + errors.toString(StandardCharsets.UTF_8));
                }
            }
            try (OutputStream out = Files.newOutputStream(war); ZipOutputStream zip = new ZipOutputStream(out)) {
                for (Map.Entry<String, String> file : files.entrySet()) {
                    zip.putNextEntry(new ZipEntry(file.getKey()));
                    zip.write(file.getValue().getBytes(StandardCharsets.UTF_8));
                    zip.closeEntry();
                }
                try (Stream<Path> walk = Files.walk(classes)) {
                    for (Path file : walk.filter(Files::isRegularFile).toList()) {
                        zip.putNextEntry(new ZipEntry("WEB-INF/classes/" + classes.relativize(file)));
                        Files.copy(file, zip);
                        zip.closeEntry();
                    }
                }
            }
            return war;
        } finally {
            try (Stream<Path> walk = Files.walk(work)) {
                for (Path p : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
