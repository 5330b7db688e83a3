package org.conpaas.core.internal.bootstrap;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The director's agent archives: kept by runtime and Java, copied whole into new installations, or not at all. */
public class AgentArchiveStoreTest {

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    @Test
    public void aKeptArchiveGoesIntoEachNewInstallationOfItsRuntimeAndNoOther() throws Exception {
        Path folder = temp.getRoot().toPath().resolve("cds");
        AgentArchiveStore store = new AgentArchiveStore(folder, System.getProperty("java.home"));
        Path first = installation("share-1", "agent-00112233");
        Path second = installation("share-2", "agent-00112233");
        Path otherRuntime = installation("share-3", "agent-99887766");
        byte[] archive = archive(4096);

        assertFalse("nothing kept yet", store.copyInto(second, second.resolve(AgentClassArchive.ARCHIVE)));
        Files.write(first.resolve(AgentClassArchive.ARCHIVE), archive);
        store.keep(first, first.resolve(AgentClassArchive.ARCHIVE));

        assertTrue(store.copyInto(second, second.resolve(AgentClassArchive.ARCHIVE)));
        assertArrayEquals(archive, Files.readAllBytes(second.resolve(AgentClassArchive.ARCHIVE)));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                second.resolve(AgentClassArchive.ARCHIVE))));
        assertFalse("another runtime's classes", store.copyInto(otherRuntime,
                otherRuntime.resolve(AgentClassArchive.ARCHIVE)));

        // a new runtime's archive replaces the old one: the folder holds one
        Files.write(otherRuntime.resolve(AgentClassArchive.ARCHIVE), archive(8192));
        store.keep(otherRuntime, otherRuntime.resolve(AgentClassArchive.ARCHIVE));
        try (Stream<Path> kept = Files.list(folder)) {
            assertEquals(List.of(store.fileFor(otherRuntime)), kept.toList());
        }
    }

    @Test
    public void anArchiveCutShortIsNeverCopied() throws Exception {
        Path folder = temp.newFolder("cds").toPath();
        AgentArchiveStore store = new AgentArchiveStore(folder, System.getProperty("java.home"));
        Path home = installation("share", "agent-00112233");
        Files.write(store.fileFor(home), new byte[4096]); // the JVM writes the magic number last
        assertFalse(store.copyInto(home, home.resolve(AgentClassArchive.ARCHIVE)));
        assertTrue(Files.notExists(home.resolve(AgentClassArchive.ARCHIVE)));
    }

    @Test
    public void eachJavaBuildHasArchivesOfItsOwn() throws Exception {
        Path jdk = temp.newFolder("jdk").toPath();
        Files.writeString(jdk.resolve("release"), "JAVA_VERSION=\"17.0.15\"\n");
        String before = AgentArchiveStore.javaKey(jdk.toString());
        assertEquals(before, AgentArchiveStore.javaKey(jdk.toString()));
        Files.writeString(jdk.resolve("release"), "JAVA_VERSION=\"17.0.16\"\n");
        assertNotEquals(before, AgentArchiveStore.javaKey(jdk.toString()));
        Path home = installation("share", "agent-00112233");
        assertNotEquals(new AgentArchiveStore(jdk, jdk.toString()).fileFor(home).getFileName(),
                new AgentArchiveStore(jdk, System.getProperty("java.home")).fileFor(home).getFileName());
    }

    private Path installation(String share, String name) throws Exception {
        return Files.createDirectories(temp.getRoot().toPath().resolve(share).resolve(name)
                .resolve(UserData.AGENT_HOME).resolve("lib")).getParent();
    }

    /** What the JVM writes: the dynamic archive's magic number first, in the machine's byte order. */
    private static byte[] archive(int size) {
        ByteBuffer bytes = ByteBuffer.allocate(size).order(ByteOrder.nativeOrder());
        bytes.putInt(0xf00baba8);
        for (int i = 4; i < size; i++) {
            bytes.put((byte) i);
        }
        return bytes.array();
    }
}
