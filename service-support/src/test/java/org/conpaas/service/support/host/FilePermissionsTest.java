package org.conpaas.service.support.host;

import static org.junit.Assert.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class FilePermissionsTest {

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    @Test
    public void othersMayEnterEveryFolderOnThePathButListNone() throws Exception {
        Path top = temp.newFolder("top").toPath();
        Path middle = Files.createDirectories(top.resolve("middle"));
        Path leaf = Files.createDirectories(middle.resolve("leaf"));
        FilePermissions.setMode(top, "rwx------");
        FilePermissions.setMode(middle, "rwx--x--x"); // already enterable: left alone
        FilePermissions.setMode(leaf, "rwxr-x---");
        FilePermissions.setMode(temp.getRoot().toPath(), "rwx------");

        List<Path> opened = FilePermissions.letOthersEnter(leaf);

        assertEquals(List.of(leaf, top, temp.getRoot().toPath()), opened);
        assertEquals("rwxr-x--x", mode(leaf));
        assertEquals("rwx--x--x", mode(middle));
        assertEquals("rwx-----x", mode(top));
        assertEquals("nothing left to open", List.of(), FilePermissions.letOthersEnter(leaf));
    }

    private static String mode(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
