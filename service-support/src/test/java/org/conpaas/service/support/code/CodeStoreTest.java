package org.conpaas.service.support.code;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.conpaas.api.InvalidInputException;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** A node's code versions: stored beside each other, one active behind {@code current}, old ones deleted. */
public class CodeStoreTest {

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    @Test
    public void keepsTheActiveAndThePreviousVersionAndSwitchesAtomically() throws Exception {
        CodeStore store = new CodeStore(temp.getRoot().toPath().resolve("code"));
        Optional<String> before = Optional.empty();
        for (String version : List.of("v1", "v2", "v3")) {
            store.store(version, zip("index.html", version));
            assertEquals("storing leaves the active version alone", before, store.active());
            assertEquals(before, store.activate(version));
            assertEquals(version, Files.readString(store.current().resolve("index.html")));
            before = Optional.of(version);
        }
        assertEquals(Optional.of("v3"), store.active());
        assertEquals("the active and the previous", List.of("v2", "v3"), store.versions());
        assertEquals(Optional.of("v3"), store.activate("v2"));
        assertEquals("v2", Files.readString(store.current().resolve("index.html")));
        assertEquals(Optional.empty(), store.activate("v2"));
        assertThrows(IllegalStateException.class, () -> store.activate("v1"));
    }

    @Test
    public void aRefusedArchiveLeavesNothingAndBadNamesAreRefused() throws Exception {
        Path root = temp.getRoot().toPath().resolve("code");
        CodeStore store = new CodeStore(root);
        store.store("good", zip("a.txt", "a"));
        assertThrows(InvalidInputException.class, () -> store.store("bad", zip("../b.txt", "b")));
        assertEquals(List.of("good"), store.versions());
        try (var entries = Files.list(root)) {
            assertEquals("no partial folder stays", List.of(root.resolve("good")), entries.toList());
        }
        for (String name : List.of("current", "previous", ".x", "a/b", "")) {
            assertFalse(name, CodeStore.isValidVersion(name));
            assertThrows(IllegalArgumentException.class, () -> store.store(name, zip("a", "b")));
        }
        assertTrue(CodeStore.isValidVersion("code-default"));
    }

    private Path zip(String name, String content) throws IOException {
        Path archive = Files.createTempFile(temp.getRoot().toPath(), "code-", ".zip");
        try (OutputStream out = Files.newOutputStream(archive); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry(name));
            zip.write(content.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return archive;
    }
}
