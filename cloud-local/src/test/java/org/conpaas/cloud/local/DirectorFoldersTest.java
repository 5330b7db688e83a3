package org.conpaas.cloud.local;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.conpaas.service.support.host.FilePermissions;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

/** A node account (a uid of the default range, as root) against Karaf-like folders with Karaf's default modes. */
public class DirectorFoldersTest {

    private static final long NODE_UID = 2_000_999_999L;

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    @Test
    public void nodeAccountsReachTheCloudsFolderAndNothingElseOfTheDirector() throws Exception {
        assertTrue("this test needs root, as CI runs it", NodeAccounts.directorIsRoot());
        Path base = temp.getRoot().toPath().toRealPath();
        FilePermissions.setMode(base, "rwxr-xr-x");
        Path etc = Files.createDirectories(base.resolve("etc"));
        Path data = Files.createDirectories(base.resolve("data"));
        Path cloud = Files.createDirectories(data.resolve("cloud-local"));
        Path other = Files.createDirectories(data.resolve("cloud-local-ns"));
        Path log = Files.createDirectories(data.resolve("log"));
        for (Path folder : new Path[] {etc, data, cloud, other, log}) {
            FilePermissions.setMode(folder, "rwxr-xr-x");
        }
        Files.writeString(etc.resolve("org.ops4j.pax.web.cfg"), "keystore.password = secret\n");
        Files.writeString(log.resolve("karaf.log"), "the director's log\n");
        Files.writeString(cloud.resolve("shared.txt"), "for the nodes\n");
        Files.writeString(other.resolve("shared.txt"), "for the other cloud's nodes\n");

        // two local clouds of one director prepare their folders one after the other: both stay reachable
        DirectorFolders.closeToNodes(etc, data, other);
        DirectorFolders.closeToNodes(etc, data, cloud);

        assertEquals(1, asNode("cat", etc.resolve("org.ops4j.pax.web.cfg").toString()));
        assertEquals(1, asNode("cat", log.resolve("karaf.log").toString()));
        assertNotEquals("data/ cannot be listed", 0, asNode("ls", data.toString()));
        assertEquals("the way to the cloud's folder stays open", 0, asNode("cat", cloud.resolve("shared.txt")
                .toString()));
        assertEquals("the other local cloud's folder stays open", 0, asNode("cat", other.resolve("shared.txt")
                .toString()));
        assertEquals("the director keeps everything", "the director's log\n",
                Files.readString(log.resolve("karaf.log"), StandardCharsets.UTF_8));
    }

    private static int asNode(String... command) throws Exception {
        String[] line = new String[command.length + 4];
        line[0] = "setpriv";
        line[1] = "--reuid=" + NODE_UID;
        line[2] = "--regid=" + NODE_UID;
        line[3] = "--clear-groups";
        System.arraycopy(command, 0, line, 4, command.length);
        Process process = new ProcessBuilder(line).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(String.join(" ", line) + " did not finish", process.waitFor(10, TimeUnit.SECONDS));
        return process.exitValue();
    }
}
