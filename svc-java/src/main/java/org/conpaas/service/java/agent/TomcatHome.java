package org.conpaas.service.java.agent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.conpaas.service.java.TomcatVersion;
import org.conpaas.service.support.Folders;
import org.conpaas.service.support.archive.ArchiveLimits;
import org.conpaas.service.support.archive.SafeArchives;
import org.conpaas.service.web.agent.ServerAccount;

/**
 * Tomcat's installation on a node ({@code CATALINA_HOME}): unpacked once from the copy this bundle carries into
 * {@code <workDir>/web/tomcat-<version>/}, with Apache's javax-to-jakarta converter in its {@code lib/}. Only
 * {@code bin/}, {@code conf/} and {@code lib/} are kept: the bundled web applications (manager, examples, docs) are
 * never deployed. Everything Tomcat writes goes to the instance folder ({@code CATALINA_BASE}) instead.
 */
final class TomcatHome {

    static final String ARCHIVE = "/tomcat-dist/tomcat.tar.gz";
    static final String CONVERTER = "/tomcat-dist/jakartaee-migration.jar";
    /** Tomcat's distribution is some 12 MB in 700 files; far larger is not the archive this bundle carries. */
    private static final ArchiveLimits LIMITS = ArchiveLimits.ofMegabytes(64, 256, 10_000);

    private TomcatHome() {
    }

    /** The unpacked installation, unpacking it first when this node has none of this version. */
    static Path ensure(Path workDir, ServerAccount account) throws IOException {
        Path web = workDir.resolve("web");
        Path home = web.resolve("tomcat-" + TomcatVersion.VERSION);
        if (Files.isRegularFile(home.resolve("bin").resolve("bootstrap.jar"))) {
            return home;
        }
        Files.createDirectories(web);
        Path partial = web.resolve(".partial-tomcat");
        Folders.deleteTree(partial);
        Path archive = web.resolve(".tomcat.tar.gz");
        try {
            copyResource(ARCHIVE, archive);
            Path expanded = partial.resolve("expanded");
            SafeArchives.expand(archive, expanded, LIMITS);
            Path top = single(expanded);
            Folders.deleteTree(top.resolve("webapps"));
            copyResource(CONVERTER, top.resolve("lib").resolve("jakartaee-migration.jar"));
            account.makeReadable(top);
            Files.move(top, home, StandardCopyOption.ATOMIC_MOVE);
            account.makeTraversable(workDir, home);
        } finally {
            Files.deleteIfExists(archive);
            Folders.deleteTree(partial);
        }
        return home;
    }

    private static void copyResource(String resource, Path target) throws IOException {
        try (InputStream in = TomcatHome.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the java plug-in bundle lacks " + resource);
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The archive's one top-level folder (apache-tomcat-x.y.z). */
    private static Path single(Path folder) throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            List<Path> all = entries.toList();
            if (all.size() != 1 || !Files.isDirectory(all.get(0))) {
                throw new IllegalStateException("the bundled Tomcat archive does not hold one top-level folder");
            }
            return all.get(0);
        }
    }
}
