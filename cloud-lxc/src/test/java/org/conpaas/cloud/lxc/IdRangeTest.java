package org.conpaas.cloud.lxc;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.conpaas.service.support.host.FilePermissions;
import org.conpaas.service.support.host.FileTrees;
import org.junit.After;
import org.junit.Test;

/** Moving a tree's owners from one range to another (as root, as CI runs it: chown needs it). */
public class IdRangeTest {

    private final Path tree = Path.of("target/id-range-test").toAbsolutePath();

    @After
    public void removeTree() throws Exception {
        FileTrees.deleteTree(tree);
    }

    private static int attribute(Path path, String name) throws Exception {
        return (Integer) Files.getAttribute(path, "unix:" + name, LinkOption.NOFOLLOW_LINKS);
    }

    @Test
    public void ownersMoveIdForIdKeepingSetUidBitsAndLeavingOtherIdsAndLinkTargetsAlone() throws Exception {
        FileTrees.deleteTree(tree);
        Path dir = Files.createDirectories(tree.resolve("bin"));
        Path program = Files.writeString(dir.resolve("busybox"), "#!/bin/sh\n");
        Files.setAttribute(program, "unix:mode", 04755);
        Files.createLink(dir.resolve("init"), program); // a hard link: must not be moved twice
        Path www = Files.writeString(tree.resolve("www"), "x");
        FilePermissions.setOwner(www, 33, 33);
        Path foreign = Files.writeString(tree.resolve("foreign"), "x");
        FilePermissions.setOwner(foreign, 70000, 70000); // another range's: left as it is
        Path outside = Files.writeString(Path.of("target/id-range-outside"), "x");
        Files.createSymbolicLink(tree.resolve("link"), outside);

        IdRange node = new IdRange(0x70000000L);
        node.takeOver(tree, IdRange.HOST);

        assertEquals(0x70000000, attribute(tree, "uid"));
        assertEquals(0x70000000, attribute(program, "uid"));
        assertEquals(0x70000000, attribute(program, "gid"));
        assertEquals("set-uid kept", 04755, attribute(program, "mode") & 07777);
        assertEquals(0x70000000 + 33, attribute(www, "uid"));
        assertEquals(0x70000000 + 33, attribute(www, "gid"));
        assertEquals(70000, attribute(foreign, "uid"));
        assertEquals(0x70000000, attribute(tree.resolve("link"), "uid"));
        assertEquals("the link's target is not followed", 0, (int) (Integer) Files.getAttribute(outside, "unix:uid"));

        IdRange next = new IdRange(0x70000000L + 65536);
        next.takeOver(tree, IdRange.of(Integer.toUnsignedLong(attribute(tree, "uid"))));
        assertEquals(0x70000000 + 65536 + 33, attribute(www, "uid"));
        assertEquals(0x70000000 + 65536, attribute(program, "uid"));
        assertTrue(IdRange.of(0x70000000L + 65536 + 33).equals(next));
        Files.delete(outside);
    }
}
