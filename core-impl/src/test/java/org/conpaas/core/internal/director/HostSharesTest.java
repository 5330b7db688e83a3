package org.conpaas.core.internal.director;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.conpaas.api.cloud.HostShare;
import org.conpaas.api.service.ServiceNode;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The director fills a machine's shared folder once, completely, readable and not writable by nodes. */
public class HostSharesTest {

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    @Test
    public void filesAreCopiedOnceIntoAFolderNodesReadButCannotWrite() throws Exception {
        Path share = temp.newFolder("share").toPath();
        CloudRegistry clouds = new CloudRegistry();
        FakeCloud cloud = new FakeCloud();
        cloud.hostShare = new HostShare(share, Path.of("/seen/by/nodes"));
        clouds.bindCloud(cloud);
        Path jar = Files.writeString(temp.newFile("a.jar").toPath(), "jar bytes");
        HostShares shares = new HostShares(clouds);
        ServiceNode node = new ServiceNode("node-1", "worker", "127.1.0.1", 5555, "default", "vm-1");

        assertEquals(Optional.of("/seen/by/nodes/lib-1"), shares.share(node, "lib-1", Map.of("a.jar", jar)));
        Path copy = share.resolve("lib-1/a.jar");
        assertEquals("jar bytes", Files.readString(copy));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(copy)));
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(copy.getParent())));

        // found, not copied again
        Files.writeString(jar, "changed");
        shares.share(node, "lib-1", Map.of("a.jar", jar));
        assertEquals("jar bytes", Files.readString(copy));
        try (var left = Files.list(share)) {
            assertEquals("no partial folder left", 1, left.count());
        }
    }

    @Test
    public void aCloudWithoutSharedFolderAndBadNames() throws Exception {
        CloudRegistry clouds = new CloudRegistry();
        clouds.bindCloud(new FakeCloud());
        HostShares shares = new HostShares(clouds);
        ServiceNode node = new ServiceNode("node-1", "worker", "127.1.0.1", 5555, "default", "vm-1");
        Path jar = temp.newFile("a.jar").toPath();
        assertTrue(shares.share(node, "lib-1", Map.of("a.jar", jar)).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> shares.share(node, "../etc", Map.of("a.jar", jar)));
        assertThrows(IllegalArgumentException.class, () -> shares.share(node, "lib", Map.of("../a.jar", jar)));
    }
}
