package org.conpaas.service.support.archive;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.conpaas.api.InvalidInputException;
import org.conpaas.api.TooLargeException;
import org.conpaas.api.UnsupportedArchiveException;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Expanding with the one reader: what tar and zip hold arrives as written, and a refused archive writes nothing. */
public class ArchiveExpansionTest {

    private static final ArchiveLimits LIMITS = ArchiveLimits.ofMegabytes(10, 10, 100);

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    @Test
    public void aTarGzArrivesWithFoldersExecutableScriptsLinksAndHardLinksAsCopies() throws Exception {
        Path sources = temp.newFolder("sources").toPath();
        Files.createDirectories(sources.resolve("bin"));
        Files.writeString(sources.resolve("bin/init.sh"), "echo init\n");
        Files.setPosixFilePermissions(sources.resolve("bin/init.sh"),
                java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createSymbolicLink(sources.resolve("start.sh"), Path.of("bin/init.sh"));
        Files.createLink(sources.resolve("copy.sh"), sources.resolve("bin/init.sh"));
        Path archive = temp.getRoot().toPath().resolve("code.tar.gz");
        exec("tar", "-czf", archive.toString(), "-C", sources.toString(), ".");

        Path target = temp.getRoot().toPath().resolve("expanded");
        SafeArchives.expand(archive, target, LIMITS);

        assertEquals("echo init\n", Files.readString(target.resolve("bin/init.sh")));
        assertTrue(Files.isExecutable(target.resolve("bin/init.sh")));
        assertTrue(Files.isSymbolicLink(target.resolve("start.sh")));
        assertEquals(Path.of("bin/init.sh"), Files.readSymbolicLink(target.resolve("start.sh")));
        assertEquals("echo init\n", Files.readString(target.resolve("copy.sh")));
    }

    @Test
    public void aZipArrivesWithItsFolders() throws Exception {
        Path archive = zip(Map.of("index.php", "<?php echo 1;", "lib/a/b.php", "b"));
        Path target = temp.getRoot().toPath().resolve("expanded");
        SafeArchives.expand(archive, target, LIMITS);
        assertEquals("<?php echo 1;", Files.readString(target.resolve("index.php")));
        assertEquals("b", Files.readString(target.resolve("lib/a/b.php")));
    }

    @Test
    public void refusedArchivesWriteNothing() throws Exception {
        Path target = temp.getRoot().toPath().resolve("expanded");
        InvalidInputException escaping = assertThrows(InvalidInputException.class,
                () -> SafeArchives.expand(zip(Map.of("ok.txt", "x", "../evil.txt", "x")), target, LIMITS));
        assertTrue(escaping.getMessage(), escaping.getMessage().contains("'../evil.txt' leaves the archive folder"));

        Path links = temp.newFolder("links").toPath();
        Files.writeString(links.resolve("first.txt"), "x");
        Files.createSymbolicLink(links.resolve("escape"), Path.of("../.."));
        Path linkTar = temp.getRoot().toPath().resolve("link.tar");
        exec("tar", "-cf", linkTar.toString(), "-C", links.toString(), "first.txt", "escape");
        InvalidInputException link = assertThrows(InvalidInputException.class,
                () -> SafeArchives.expand(linkTar, target, LIMITS));
        assertTrue(link.getMessage(), link.getMessage().contains("outside the archive folder"));

        assertFalse("nothing was written", Files.exists(target));
        assertFalse(Files.exists(temp.getRoot().toPath().getParent().resolve("evil.txt")));
    }

    @Test
    public void limitsAndUnreadableTypesAreRefused() throws Exception {
        Path target = temp.getRoot().toPath().resolve("expanded");
        assertThrows(TooLargeException.class, () -> SafeArchives.expand(zip(Map.of("a", "1", "b", "2")), target,
                new ArchiveLimits(1 << 20, 1 << 20, 1)));
        Path sources = temp.newFolder("bz").toPath();
        Files.writeString(sources.resolve("a.txt"), "a");
        Path bzip2 = temp.getRoot().toPath().resolve("code.tar.bz2");
        exec("tar", "-cjf", bzip2.toString(), "-C", sources.toString(), "a.txt");
        UnsupportedArchiveException bz = assertThrows(UnsupportedArchiveException.class,
                () -> SafeArchives.expand(bzip2, target, LIMITS));
        assertEquals("unsupported archive: tar.bz2 is read by the director only", bz.getMessage());
        Path text = temp.newFile("notes.txt").toPath();
        Files.writeString(text, "just text");
        assertThrows(UnsupportedArchiveException.class, () -> SafeArchives.expand(text, target, LIMITS));
        assertFalse(Files.exists(target));
    }

    private Path zip(Map<String, String> entries) throws IOException {
        Path archive = Files.createTempFile(temp.getRoot().toPath(), "code-", ".zip");
        try (OutputStream out = Files.newOutputStream(archive); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, String> entry : new java.util.TreeMap<>(entries).entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return archive;
    }

    /** Runs a command (tar must be installed: the test fails without it). */
    static void exec(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within 30 s");
        }
        assertEquals(String.join(" ", command) + ": " + output, 0, process.exitValue());
    }
}
