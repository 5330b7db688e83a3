package org.conpaas.core.internal.code;

import static org.conpaas.core.internal.code.TestArchives.Entry.file;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.conpaas.api.ConflictException;
import org.conpaas.api.InvalidInputException;
import org.conpaas.api.NotFoundException;
import org.conpaas.api.model.CodeVersionInfo;
import org.conpaas.api.model.UploadedFile;
import org.conpaas.api.service.CodeRepository;
import org.conpaas.core.internal.persistence.TestDatabase;
import org.conpaas.core.internal.testing.AnnotationConfigs;
import org.conpaas.core.internal.testing.MutableClock;
import org.conpaas.service.support.archive.ArchiveLimits;
import org.conpaas.service.support.archive.ArchiveType;
import org.conpaas.service.support.archive.SafeArchives;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class CodeVersionStoreTest {

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private TestDatabase db;
    private Path base;
    private final MutableClock clock = new MutableClock(Instant.parse("2024-05-01T10:00:00Z"));
    private CodeVersionStore store;

    @Before
    public void open() throws IOException {
        db = new TestDatabase(temp.newFolder("db").toPath());
        base = temp.getRoot().toPath().resolve("code");
        store = new CodeVersionStore(db, base, ArchiveLimits.ofMegabytes(10, 20, 100), clock);
    }

    @After
    public void close() {
        db.close();
    }

    @Test
    public void changedLimitsApplyToTheNextUploadWithoutANewStore() throws IOException {
        CodeVersionStore live = new CodeVersionStore(db, AnnotationConfigs.of(CodeConfig.class,
                java.util.Map.of("dataDir", temp.getRoot().toString(), "maxEntries", 2)));
        store = live;
        byte[] threeFiles = TestArchives.gzip(TestArchives.tar(file("a", "1"), file("b", "2"), file("c", "3")));
        InvalidInputException refused = assertThrows(InvalidInputException.class,
                () -> upload(7, "three.tar.gz", threeFiles, null));
        assertTrue(refused.getMessage(), refused.getMessage().contains("more than 2 entries"));

        live.modified(AnnotationConfigs.of(CodeConfig.class,
                java.util.Map.of("dataDir", temp.getRoot().toString(), "maxEntries", 10)));
        assertEquals(10, live.limits().maxEntries());
        assertEquals("three.tar.gz", upload(7, "three.tar.gz", threeFiles, null).fileName());
        assertTrue("still the same folder", Files.isDirectory(temp.getRoot().toPath().resolve("code/7")));
    }

    @Test
    public void uploadsGetRandomIdsAndAreListedNewestFirstWithTheActiveOneMarked() throws IOException {
        CodeVersionInfo first = upload(7, "first.tar.gz", TestArchives.gzip(TestArchives.tar(file("a", "1"))), "one");
        clock.advance(Duration.ofSeconds(1));
        byte[] secondZip = TestArchives.zip("b", "2"); // built once: zip entries carry the time they were made
        CodeVersionInfo second = upload(7, "C:\\Users\\me\\second.zip", secondZip, null);
        upload(8, "other.zip", TestArchives.zip("c", "3"), null);

        assertTrue(first.id(), first.id().matches("code-[a-z0-9]{6}"));
        assertTrue(second.id(), second.id().matches("code-[a-z0-9]{6}"));
        assertEquals("second.zip", second.fileName());
        assertEquals("one", first.description());
        assertEquals(List.of(second.id(), first.id()), ids(store.list(7)));
        assertTrue(store.list(7).stream().noneMatch(CodeVersionInfo::active));

        store.activate(7, first.id());
        assertEquals(List.of(false, true), store.list(7).stream().map(CodeVersionInfo::active).toList());
        store.activate(7, second.id());
        assertEquals(List.of(true, false), store.list(7).stream().map(CodeVersionInfo::active).toList());
        assertTrue("another service's versions are untouched",
                store.list(8).stream().noneMatch(CodeVersionInfo::active));
        CodeRepository repository = store.repository(7);
        assertEquals(second.id(), repository.active().orElseThrow().id());
        assertArrayEquals(secondZip, Files.readAllBytes(repository.archive(second.id())));
    }

    @Test
    public void aDefaultCodeIsStoredAsTheActiveCodeDefault() throws IOException {
        Path archive = temp.newFile("default").toPath();
        byte[] zip = TestArchives.zip("init.sh", "echo hi"); // built once: zip entries carry the time they were made
        Files.write(archive, zip);
        CodeVersionInfo installed = store.installDefault(7, new UploadedFile("file", "code-default", archive));
        assertEquals("code-default", installed.id());
        assertTrue(installed.active());
        assertEquals(List.of("code-default"), ids(store.list(7)));
        assertArrayEquals(zip, Files.readAllBytes(store.repository(7)
                .archive("code-default")));
    }

    @Test
    public void downloadGivesTheOriginalBytesUnderTheOriginalName() throws IOException {
        byte[] tar = TestArchives.tar(file("run.sh", "echo run"));
        CodeVersionInfo version = upload(3, "my app.tar", tar, "d");
        UploadedFile download = store.download(3, version.id());
        assertEquals("file", download.field());
        assertEquals("my app.tar", download.fileName());
        assertArrayEquals(tar, Files.readAllBytes(download.path()));
        assertEquals(tar.length, version.sizeBytes());
        assertThrows(NotFoundException.class, () -> store.download(3, "code-zzzzzz"));
        assertThrows(NotFoundException.class, () -> store.download(4, version.id()));
    }

    @Test
    public void aTarBz2IsKeptAsUploadedAndAgentsGetItAsATarGzThatExpands() throws Exception {
        Path sources = temp.newFolder("sources").toPath();
        Files.createDirectories(sources.resolve("scripts"));
        Files.writeString(sources.resolve("scripts/init.sh"), "echo init\n");
        Files.createSymbolicLink(sources.resolve("run.sh"), Path.of("scripts/init.sh"));
        Path tarBz2 = temp.getRoot().toPath().resolve("made-by-tar.bin");
        SafeArchivesTest.exec("tar", "-cjf", tarBz2.toString(), "-C", sources.toString(), "scripts", "run.sh");
        byte[] original = Files.readAllBytes(tarBz2);

        CodeVersionInfo version = upload(4, "app.tar.bz2", original, null);
        assertArrayEquals(original, Files.readAllBytes(store.download(4, version.id()).path()));
        Path forAgents = store.repository(4).archive(version.id());
        assertEquals("gzip magic", 0x1f, Files.readAllBytes(forAgents)[0] & 0xff);
        assertEquals(ArchiveType.TAR_GZ, SafeArchives.check(forAgents, ArchiveLimits.ofMegabytes(1, 1, 10)));

        Path expanded = temp.newFolder("expanded").toPath();
        SafeArchivesTest.exec("tar", "-xzf", forAgents.toString(), "-C", expanded.toString());
        assertEquals("echo init\n", Files.readString(expanded.resolve("scripts/init.sh")));
        assertEquals(Path.of("scripts/init.sh"), Files.readSymbolicLink(expanded.resolve("run.sh")));

        store.delete(4, version.id());
        assertEquals("both files go with the version", List.of("", "4"), files());
    }

    @Test
    public void agentsGetOnlyTheCheckedPartOfATarBz2() throws IOException {
        byte[] tar = TestArchives.tar(file("run.sh", "echo run"));
        byte[] trailing = new byte[8 * 1024 * 1024];
        byte[] withTrailingZeros = Arrays.copyOf(tar, tar.length + trailing.length);

        CodeVersionInfo version = upload(6, "a.tar.bz2", TestArchives.bzip2(withTrailingZeros), null);

        try (InputStream agents = new GZIPInputStream(Files.newInputStream(store.repository(6)
                .archive(version.id())))) {
            assertArrayEquals("the tar up to its end blocks, not the 8 MB after them", tar, agents.readAllBytes());
        }
    }

    @Test
    public void theActiveVersionCannotBeDeletedOthersGoWithTheirFiles() throws IOException {
        CodeVersionInfo a = upload(5, "a.zip", TestArchives.zip("a", "1"), null);
        CodeVersionInfo b = upload(5, "b.zip", TestArchives.zip("b", "2"), null);
        store.activate(5, a.id());
        ConflictException conflict = assertThrows(ConflictException.class, () -> store.delete(5, a.id()));
        assertEquals("code version " + a.id() + " is active; activate another one first", conflict.getMessage());
        Path bFile = store.download(5, b.id()).path();
        store.delete(5, b.id());
        assertFalse(Files.exists(bFile));
        assertEquals(List.of(a.id()), ids(store.list(5)));
        assertThrows(NotFoundException.class, () -> store.delete(5, b.id()));
        assertThrows(NotFoundException.class, () -> store.activate(5, b.id()));
    }

    @Test
    public void aRefusedUploadLeavesNothingBehind() throws IOException {
        upload(9, "good.zip", TestArchives.zip("a", "1"), null);
        List<String> before = files();
        for (byte[] bad : List.of(TestArchives.zip("../evil", "x"), "plain text".getBytes(),
                TestArchives.zipOfZeros("zeros", 30L * 1024 * 1024),
                TestArchives.tarBz2OfZeros("zeros", 30L * 1024 * 1024),
                TestArchives.bzip2(TestArchives.tar(file("../evil", "x"))))) {
            assertThrows(InvalidInputException.class, () -> upload(9, "bad.zip", bad, null));
        }
        assertEquals(1, store.list(9).size());
        assertEquals(before, files());
    }

    @Test
    public void deleteAllForgetsRowsAndFiles() throws IOException {
        CodeVersionInfo a = upload(11, "a.zip", TestArchives.zip("a", "1"), null);
        upload(12, "b.zip", TestArchives.zip("b", "2"), null);
        store.activate(11, a.id());
        store.deleteAll(11);
        assertEquals(List.of(), store.list(11));
        assertFalse(Files.exists(base.resolve("11")));
        assertEquals(1, store.list(12).size());
    }

    @Test
    public void versionsSurviveARestart() throws IOException {
        CodeVersionInfo a = upload(13, "a.zip", TestArchives.zip("a", "1"), "kept");
        store.activate(13, a.id());
        db.close();
        db = new TestDatabase(temp.getRoot().toPath().resolve("db"));
        store = new CodeVersionStore(db, base, ArchiveLimits.ofMegabytes(10, 20, 100), clock);
        assertEquals(List.of(new CodeVersionInfo(a.id(), "a.zip", "kept", a.sizeBytes(), a.uploaded(), true)),
                store.list(13));
    }

    private CodeVersionInfo upload(long service, String name, byte[] content, String description)
            throws IOException {
        Path upload = Files.createTempFile(temp.getRoot().toPath(), "upload", ".part");
        try {
            Files.write(upload, content);
            return store.upload(service, new UploadedFile("file", name, upload), description);
        } finally {
            Files.delete(upload);
        }
    }

    private List<String> files() throws IOException {
        if (!Files.exists(base)) {
            return List.of();
        }
        try (Stream<Path> all = Files.walk(base)) {
            return all.map(p -> base.relativize(p).toString()).sorted().collect(Collectors.toList());
        }
    }

    private static List<String> ids(List<CodeVersionInfo> versions) {
        return versions.stream().map(CodeVersionInfo::id).toList();
    }
}
