package org.conpaas.core.internal.code;

import static org.conpaas.core.internal.code.TestArchives.Entry.dir;
import static org.conpaas.core.internal.code.TestArchives.Entry.file;
import static org.conpaas.core.internal.code.TestArchives.Entry.hardLink;
import static org.conpaas.core.internal.code.TestArchives.Entry.symlink;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.conpaas.api.InvalidInputException;
import org.conpaas.api.TooLargeException;
import org.conpaas.service.support.archive.ArchiveLimits;
import org.conpaas.service.support.archive.ArchiveType;
import org.conpaas.service.support.archive.SafeArchives;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class SafeArchivesTest {

    private static final ArchiveLimits LIMITS = ArchiveLimits.ofMegabytes(100, 50, 100);

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    @Test
    public void acceptsTarTarGzAndZipByContentWhateverTheirNames() throws IOException {
        byte[] tar = TestArchives.tar(dir("scripts/"), file("scripts/init.sh", "echo init"),
                symlink("run.sh", "scripts/init.sh"), hardLink("copy.sh", "scripts/init.sh"));
        assertEquals(ArchiveType.TAR, check("code.zip", tar));
        assertEquals(ArchiveType.TAR_GZ, check("code.tar", TestArchives.gzip(tar)));
        assertEquals(ArchiveType.ZIP, check("code.tar.gz", TestArchives.zip("init.sh", "echo", "sub/run.sh", "x")));
    }

    @Test
    public void acceptsGnuLongNamesAndLinksPointingUpInsideTheArchive() throws IOException {
        String longName = "a/" + "x".repeat(150) + "/init.sh";
        byte[] tar = TestArchives.tar(file(longName, "echo"), symlink("a/b/up", "../../run.sh"),
                file("run.sh", "echo"));
        assertEquals(ArchiveType.TAR, check("code.tar", tar));
    }

    @Test
    public void refusesZipSlip() throws IOException {
        assertRefused(TestArchives.zip("ok.sh", "echo", "../x", "evil"), "'../x'");
    }

    @Test
    public void refusesTarWithDotDot() throws IOException {
        assertRefused(TestArchives.tar(file("scripts/../../etc/cron.d/x", "evil")), "'scripts/../../etc/cron.d/x'");
    }

    @Test
    public void refusesAbsolutePaths() throws IOException {
        assertRefused(TestArchives.gzip(TestArchives.tar(file("/etc/passwd", "evil"))), "'/etc/passwd'");
        assertRefused(TestArchives.zip("/tmp/evil", "evil"), "'/tmp/evil'");
    }

    @Test
    public void refusesGnuLongNamesThatEscape() throws IOException {
        assertRefused(TestArchives.tar(file("../" + "y".repeat(120), "evil")), "absolute path|'..'");
    }

    @Test
    public void refusesSymbolicLinksLeavingTheArchive() throws IOException {
        assertRefused(TestArchives.tar(symlink("etc", "/etc")), "'etc' is a symbolic link");
        assertRefused(TestArchives.tar(dir("a/"), symlink("a/up", "../../outside")), "'a/up' is a symbolic link");
        // a link to "." is harmless by itself, but ".." after it climbs out of wherever it points
        assertRefused(TestArchives.tar(symlink("here", "."), symlink("out", "here/..")), "'out'");
        // writing a file through a link would land wherever the link points
        assertRefused(TestArchives.tar(symlink("dir", "sub"), dir("sub/"), file("dir/x", "y")),
                "written through the symbolic link 'dir'");
    }

    @Test
    public void refusesZipSymbolicLinksLeavingTheArchive() throws IOException {
        byte[] zip = TestArchives.markZipSymlink(TestArchives.zip("ok", "x", "link", "../../etc/passwd"), "link");
        assertRefused(zip, "'link' is a symbolic link to '../../etc/passwd'");
    }

    @Test
    public void refusesHardLinksLeavingTheArchive() throws IOException {
        assertRefused(TestArchives.tar(hardLink("passwd", "/etc/passwd")), "'passwd' is a hard link");
        assertRefused(TestArchives.tar(hardLink("passwd", "../../etc/passwd")), "'passwd' is a hard link");
    }

    @Test
    public void refusesAZipBombByTheBytesItActuallyExpandsTo() throws IOException {
        byte[] bomb = TestArchives.zipOfZeros("zeros", 100L * 1024 * 1024);
        assertTrue("the bomb must be small: " + bomb.length, bomb.length < 1024 * 1024);
        InvalidInputException e = refused(bomb);
        assertEquals("archive expands to more than 50 MB", e.getMessage());
    }

    @Test
    public void refusesTooManyEntries() throws IOException {
        String[] pairs = new String[2 * 101];
        for (int i = 0; i < 101; i++) {
            pairs[2 * i] = "f" + i;
            pairs[2 * i + 1] = "";
        }
        assertEquals("archive has more than 100 entries", refused(TestArchives.zip(pairs)).getMessage());
    }

    @Test
    public void refusesAnArchiveOverTheSizeLimit() throws IOException {
        Path file = write("big.zip", TestArchives.zip("a", "x".repeat(3000)));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> typeOf(file, new ArchiveLimits(100, 1 << 20, 10)));
        assertTrue(e.getMessage(), e.getMessage().startsWith("archive larger than"));
    }

    @Test
    public void refusesFilesThatAreNoArchive() throws IOException {
        InvalidInputException e = refused("#!/bin/sh\necho hello\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(SafeArchives.NOT_AN_ARCHIVE, e.getMessage());
        assertEquals("file", e.parameter());
        assertTrue(refused(TestArchives.gzip("just text".getBytes(StandardCharsets.UTF_8))).getMessage()
                .startsWith("unsupported archive: the gzip file does not hold a tar archive"));
        assertEquals(SafeArchives.NOT_AN_ARCHIVE, refused(new byte[0]).getMessage());
    }

    @Test
    public void acceptsATarBz2MadeByTheTarAndBzip2BinariesByItsContent() throws Exception {
        Path sources = temp.newFolder("sources").toPath();
        Files.createDirectories(sources.resolve("scripts"));
        Files.writeString(sources.resolve("scripts/init.sh"), "echo init\n");
        Files.createSymbolicLink(sources.resolve("run.sh"), Path.of("scripts/init.sh"));
        Path archive = temp.getRoot().toPath().resolve("code.zip");
        exec("tar", "-cjf", archive.toString(), "-C", sources.toString(), ".");
        assertEquals("bzip2 magic", "BZh", new String(Files.readAllBytes(archive), 0, 3, StandardCharsets.US_ASCII));

        assertEquals(ArchiveType.TAR_BZ2, typeOf(archive, LIMITS));
    }

    @Test
    public void refusesATarBz2WithDotDotNamingTheEntry() throws IOException {
        assertRefused(TestArchives.bzip2(TestArchives.tar(file("ok.sh", "echo"), file("../x", "evil"))), "'../x'");
        assertRefused(TestArchives.bzip2(TestArchives.tar(symlink("out", "/etc"))), "'out' is a symbolic link");
    }

    @Test
    public void refusesABzip2BombAsTooLarge() throws IOException {
        byte[] bomb = TestArchives.tarBz2OfZeros("zeros", 64L * 1024 * 1024);
        assertTrue("the bomb must be small: " + bomb.length, bomb.length < 64 * 1024);
        InvalidInputException e = refused(bomb);
        assertTrue(e.getClass().getName(), e instanceof TooLargeException);
        assertEquals("archive expands to more than 50 MB", e.getMessage());
    }

    @Test
    public void refusesBzip2DataThatIsNoTarOrIsDamaged() throws IOException {
        assertTrue(refused(TestArchives.bzip2("just text".getBytes(StandardCharsets.UTF_8))).getMessage()
                .startsWith("unsupported archive: the bzip2 file does not hold a tar archive"));
        byte[] tarBz2 = TestArchives.bzip2(TestArchives.tar(file("a.sh", "x".repeat(5000)), file("b.sh", "y")));
        assertRefused(Arrays.copyOf(tarBz2, tarBz2.length / 2), "damaged archive");
        assertRefused("BZh91AY&SY".getBytes(StandardCharsets.US_ASCII), "damaged archive");
    }

    @Test
    public void refusesTruncatedArchives() throws IOException {
        byte[] tar = TestArchives.tar(file("a.sh", "x".repeat(5000)), file("b.sh", "y"));
        assertRefused(Arrays.copyOf(tar, 1536), "damaged archive");
        byte[] gz = TestArchives.gzip(tar);
        assertRefused(Arrays.copyOf(gz, gz.length - 12), "damaged archive");
        byte[] zip = TestArchives.zip("a.sh", "x".repeat(5000), "b.sh", "y");
        assertRefused(Arrays.copyOf(zip, zip.length - 30), "damaged archive");
    }

    @Test
    public void checkingWritesNothing() throws IOException {
        Path folder = temp.newFolder("only").toPath();
        Path file = folder.resolve("upload");
        Files.write(file, TestArchives.tar(file("../escaped", "evil"), file("x", "y")));
        assertThrows(InvalidInputException.class, () -> typeOf(file, LIMITS));
        try (Stream<Path> all = Files.walk(temp.getRoot().toPath())) {
            List<String> names = all.map(p -> temp.getRoot().toPath().relativize(p).toString())
                    .collect(Collectors.toList());
            assertEquals(List.of("", "only", "only/upload"), names);
        }
    }

    static void exec(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(String.join(" ", command) + ": " + output, 0, process.waitFor());
    }

    private ArchiveType check(String name, byte[] content) throws IOException {
        return typeOf(write(name, content), LIMITS);
    }

    private InvalidInputException refused(byte[] content) throws IOException {
        Path file = write("upload", content);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> typeOf(file, LIMITS));
        assertEquals("file", e.parameter());
        return e;
    }

    private void assertRefused(byte[] content, String expected) throws IOException {
        String message = refused(content).getMessage();
        boolean matches = expected.contains("|") ? Arrays.stream(expected.split("\\|")).anyMatch(message::contains)
                : message.contains(expected);
        assertTrue("message '" + message + "' should contain " + expected, matches);
    }

    private Path write(String name, byte[] content) throws IOException {
        Path file = temp.getRoot().toPath().resolve(name);
        Files.write(file, content);
        return file;
    }

    /** The director's check: every type, tar.bz2 included. */
    private static ArchiveType typeOf(Path file, ArchiveLimits limits) {
        return SafeArchives.inspect(file, limits, CodeVersionStore.BZIP2).type();
    }
}
