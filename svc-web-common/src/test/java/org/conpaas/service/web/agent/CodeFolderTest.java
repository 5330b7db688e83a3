package org.conpaas.service.web.agent;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class CodeFolderTest {

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private Path work;
    private CodeFolder code;

    @Before
    public void setUp() throws IOException {
        work = temp.newFolder("node").toPath();
        // not root: the test checks the folder logic, not permissions
        code = new CodeFolder(work, work.resolve("web/code"), new ServerAccount(false, "www-data"));
    }

    private Path zip(Map<String, String> files) throws IOException {
        Path zip = temp.newFile().toPath();
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
            for (Map.Entry<String, String> file : files.entrySet()) {
                z.putNextEntry(new ZipEntry(file.getKey()));
                z.write(file.getValue().getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
        return zip;
    }

    private String served(String file) throws IOException {
        return Files.readString(code.current().resolve(file));
    }

    private List<String> folders() throws IOException {
        try (Stream<Path> entries = Files.list(work.resolve("web/code"))) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    public void activeFollowsTheLastInstallAndOnlyThePreviousVersionIsKept() throws IOException {
        assertEquals(Optional.empty(), code.activeVersion());
        code.install("code-a", zip(Map.of("index.php", "a")));
        code.install("code-b", zip(Map.of("index.php", "b")));
        assertEquals("b", served("index.php"));
        assertEquals(List.of("code-a", "code-b", "current"), folders());
        code.install("code-c", zip(Map.of("index.php", "c")));
        assertEquals(Optional.of("code-c"), code.activeVersion());
        assertEquals(List.of("code-b", "code-c", "current"), folders());
        assertTrue(Files.isSymbolicLink(code.current()));
    }

    @Test
    public void reinstallingTheActiveVersionReplacesItsFiles() throws IOException {
        code.install("code-a", zip(Map.of("index.php", "old", "gone.txt", "x")));
        code.install("code-a", zip(Map.of("index.php", "new")));
        assertEquals("new", served("index.php"));
        assertFalse(Files.exists(code.current().resolve("gone.txt")));
        assertEquals(List.of("code-a", "current"), folders());
    }

    @Test
    public void aRefusedArchiveLeavesTheActiveVersionAndNoTrace() throws IOException {
        code.install("code-a", zip(Map.of("index.php", "a")));
        try {
            code.install("code-b", zip(Map.of("../escape.php", "x")));
            fail("an escaping entry was accepted");
        } catch (IllegalArgumentException expected) {
            assertEquals("entry ../escape.php points outside the code folder", expected.getMessage());
        }
        assertEquals("a", served("index.php"));
        assertEquals(List.of("code-a", "current"), folders());
        assertFalse(Files.exists(work.resolve("web/escape.php")));
    }

    @Test
    public void versionNamesCannotLeaveTheFolder() throws IOException {
        for (String bad : List.of("../x", "current", ".hidden", "a/b", "")) {
            try {
                code.install(bad, zip(Map.of("index.php", "a")));
                fail("accepted version " + bad);
            } catch (IllegalArgumentException expected) {
                assertEquals("invalid code version " + bad, expected.getMessage());
            }
        }
    }
}
