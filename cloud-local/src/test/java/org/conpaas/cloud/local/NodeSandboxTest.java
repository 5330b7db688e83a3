package org.conpaas.cloud.local;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The bubblewrap command line; what it does to real processes is in {@link LocalCloudDriverTest}. */
public class NodeSandboxTest {

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    @Test
    public void thisDirectorHidesItsHomeAndTheTemporaryFolders() {
        List<Path> folders = NodeSandbox.ofThisDirector().directorFolders();
        assertTrue(folders.toString(), folders.containsAll(List.of(Path.of(System.getProperty("user.home")),
                Path.of("/tmp"), Path.of("/var/tmp"))));
    }

    /** Parents are hidden before what lies inside them, nested folders need no tmpfs of their own. */
    @Test
    public void hidesTheDirectorsFoldersThenPutsBackTheNodesOwnFolders() throws Exception {
        Path root = temp.getRoot().toPath().toRealPath();
        Path data = Files.createDirectories(root.resolve("karaf/data"));
        Path conpaas = Files.createDirectories(data.resolve("conpaas"));
        Path etc = Files.createDirectories(root.resolve("karaf/etc"));
        Path cloud = Files.createDirectories(data.resolve("cloud-local"));
        Path node = Files.createDirectories(cloud.resolve("nodes/local-0000abcd"));
        Files.createDirectories(node.resolve("work"));
        Files.createDirectories(node.resolve("media"));
        Path javaHome = Path.of(System.getProperty("java.home")).toRealPath();
        NodeSandbox sandbox = new NodeSandbox(List.of(conpaas, etc, data, root.resolve("absent")));
        sandbox.check();

        List<String> command = sandbox.command(cloud, node, javaHome);

        assertTrue(command.get(0), command.get(0).endsWith("/bwrap"));
        assertEquals("--", command.get(command.size() - 1));
        for (String option : List.of("--unshare-user", "--unshare-pid", "--unshare-ipc", "--ro-bind", "--proc")) {
            assertTrue(option, command.contains(option));
        }
        assertEquals("ALL", command.get(command.indexOf("--cap-drop") + 1));
        assertFalse("the host's network stays", command.contains("--unshare-net"));
        assertFalse("nodes outlive the director", command.contains("--die-with-parent"));
        String line = String.join(" ", command);
        assertTrue(line, line.contains("--tmpfs " + etc + " --tmpfs " + data + " --bind " + node.resolve("work") + " " + node.resolve("work") + " --bind "
                + node.resolve("media") + " " + node.resolve("media") + " --chdir " + node.resolve("work") + " --"));
        assertEquals("one tmpfs per hidden tree", 2, Collections.frequency(command, "--tmpfs"));
        assertFalse("Java outside the hidden folders needs nothing", line.contains(javaHome.toString()));
    }

    @Test
    public void withoutBubblewrapOneSentenceNamesThePackage() {
        try {
            new NodeSandbox(List.of(), "bwrap-is-not-installed").check();
            throw new AssertionError("check should fail");
        } catch (org.conpaas.api.CloudException e) {
            assertTrue(e.getMessage(), e.getMessage().endsWith("install the package bubblewrap"));
        }
    }
}
