package org.conpaas.service.testing.cloud;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * tools/node-image.sh builds a node image's root file system in a Debian 12 chroot (debootstrap from Debian's mirror,
 * then the same script a cloud machine runs as its user data), and the result holds what a node boots with. Needs root
 * (debootstrap, chroot) and Debian's mirror, as CI has; it fails, not skips, without them.
 */
public class NodeImageScriptTest {

    private static final Path TOOLS = Paths.get(System.getProperty("conpaas.tools", "../tools")).toAbsolutePath();
    private static Path root;
    private static String buildOutput;
    private static boolean scriptLeftAMount;

    @BeforeClass
    public static void buildTheImageOnce() throws Exception {
        assertEquals("this test builds a chroot and must run as root (CI does)", "0", run(List.of("id", "-u")).strip());
        root = Files.createTempDirectory(Paths.get("/var/tmp"), "conpaas-node-image-");
        buildOutput = run(List.of("bash", TOOLS.resolve("node-image.sh").toString(), "chroot", root.toString()));
        scriptLeftAMount = mounted(root);
        // Java's launcher finds its libraries through /proc/self/exe: the checks below run with /proc, as a machine has
        if (!scriptLeftAMount) {
            run(List.of("mount", "-t", "proc", "proc", root.resolve("proc").toString()));
        }
    }

    @AfterClass
    public static void removeTheImage() throws Exception {
        if (root == null) {
            return;
        }
        // never delete through a mount
        if (mounted(root)) {
            run(List.of("umount", "-l", root.resolve("proc").toString()));
        }
        run(List.of("rm", "-rf", "--one-file-system", root.toString()));
    }

    @Test
    public void theScriptUnmountsWhatItMounted() {
        assertFalse("the script left the chroot's /proc mounted", scriptLeftAMount);
    }

    @Test
    public void theImageHasJava17AndEveryPackageOfTheNodeAndItsServiceTypes() throws Exception {
        assertTrue(buildOutput, buildOutput.contains("ConPaaS node image ready (service types: helloworld generic php java mysql xtreemfs)"));
        String java = chroot("java -version 2>&1");
        assertTrue(java, java.contains("openjdk version \"17."));
        // the same check the test command runs on this machine, now inside the image
        Files.copy(TOOLS.resolve("os-packages.sh"), root.resolve("root/os-packages.sh"));
        String check = chroot("bash /root/os-packages.sh check node helloworld generic php java mysql xtreemfs 2>&1");
        assertTrue(check, check.contains("all installed"));
        // what the director's user data calls
        for (String tool : List.of("sh", "base64", "curl", "tar", "setsid", "mkfs.ext4", "nginx", "memcached",
                "mariadbd", "haproxy", "mfsmaster", "mfschunkserver", "mfsmount")) {
            assertFalse(tool + " missing in the image", chroot("command -v " + tool + " || true").isBlank());
        }
        assertTrue(Files.readString(root.resolve("etc/conpaas-node-image")).startsWith("types=helloworld generic php java mysql xtreemfs "));
    }

    @Test
    public void theSystemsOwnServicesStayOffSoTheNodesPortsAreFree() throws Exception {
        assertFalse("policy-rc.d left behind", Files.exists(root.resolve("usr/sbin/policy-rc.d")));
        Path wants = root.resolve("etc/systemd/system/multi-user.target.wants");
        for (String unit : List.of("nginx.service", "memcached.service", "php8.2-fpm.service",
                "mariadb.service", "haproxy.service", "moosefs-master.service", "moosefs-chunkserver.service")) {
            assertTrue("the image has no " + unit, Files.exists(root.resolve("lib/systemd/system/" + unit)));
            assertFalse(unit + " would start at boot", Files.exists(wants.resolve(unit)));
        }
    }

    @Test
    public void theUserDataIsOneShScriptThatPreparesAndPowersOff() throws Exception {
        String userData = run(List.of("bash", TOOLS.resolve("node-image.sh").toString(), "user-data", "php"));
        assertTrue(userData, userData.startsWith("#!/bin/sh\n"));
        assertTrue(userData, userData.contains(" php-fpm ") && !userData.contains("openjdk-17-jdk"));
        assertTrue(userData, userData.contains("shutdown -h"));
        Path script = root.resolve("root/user-data");
        Files.writeString(script, userData);
        assertEquals("", run(List.of("sh", "-n", script.toString())));
    }

    @Test
    public void anUnknownServiceTypeIsRefusedByName() throws Exception {
        Process p = new ProcessBuilder("bash", TOOLS.resolve("node-image.sh").toString(), "user-data", "cobol")
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, p.exitValue());
        assertTrue(out, out.contains("unknown service type 'cobol'"));
    }

    private static String chroot(String command) throws Exception {
        return run(List.of("chroot", root.toString(), "/usr/bin/env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin",
                "/bin/sh", "-c", command));
    }

    private static boolean mounted(Path dir) throws IOException {
        return Files.readAllLines(Paths.get("/proc/mounts")).stream()
                .anyMatch(line -> line.split(" ")[1].startsWith(dir.toString()));
    }

    /** Runs a command (bounded: 15 minutes) and answers its output; fails on a non-zero exit. */
    private static String run(List<String> command) throws Exception {
        Path output = Files.createTempFile("node-image-test", ".out");
        try {
            Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            if (!p.waitFor(15, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("timed out after 15 minutes: " + command);
            }
            String out = Files.readString(output);
            assertEquals(command + " failed:\n" + out, 0, p.exitValue());
            return out;
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
