package org.conpaas.core.internal.files;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class FileModeGuardTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Path etc;
    private Path data;
    private Path outside;
    private FileModeGuard guard;

    @Before
    public void layOutAnInstallationReadableByAll() throws IOException {
        assertTrue("these tests need a file system with POSIX modes", OwnerOnly.POSIX);
        Path home = tmp.getRoot().toPath();
        etc = folder(home.resolve("etc"));
        file(etc.resolve("org.ops4j.pax.web.cfg"), "rw-r--r--");
        folder(etc.resolve("scripts"));
        file(etc.resolve("scripts/x.script"), "rw-r--r--");
        data = folder(home.resolve("data"));
        folder(data.resolve("conpaas/pki"));
        file(data.resolve("conpaas/pki/ca-cert.pem"), "rw-r--r--");
        file(data.resolve("conpaas/pki/https-keystore.p12"), "rw-r-----");
        folder(data.resolve("derby/conpaas/seg0"));
        file(data.resolve("derby/conpaas/seg0/c10.dat"), "rw-r--r--");
        folder(data.resolve("cache/bundle1"));
        file(data.resolve("cache/bundle1/web.config"), "rw-r--r--");
        file(data.resolve("port"), "rw-r--r--");
        folder(data.resolve("cloud-local/runtime"));
        file(data.resolve("cloud-local/runtime/agent.jar"), "rw-r--r--");
        outside = file(home.resolve("outside.txt"), "rw-r--r--");
        Files.createSymbolicLink(data.resolve("conpaas/link"), outside);
    }

    @After
    public void stopGuard() throws Exception {
        if (guard != null) {
            guard.stop();
        }
    }

    private FileModeGuard start() throws IOException {
        guard = new FileModeGuard(PrivateAreas.of(etc, data, data.resolve("conpaas"), new String[] {"cloud-local"}));
        return guard;
    }

    @Test
    public void atStartEverySecretIsMadeOwnerOnlyAndTheLocalCloudIsLeftAlone() throws IOException {
        start();
        assertEquals("rwx------", mode(etc));
        assertEquals("rw-------", mode(etc.resolve("org.ops4j.pax.web.cfg")));
        assertEquals("rw-------", mode(etc.resolve("scripts/x.script")));
        assertEquals("rwx------", mode(data.resolve("conpaas")));
        assertEquals("rwx------", mode(data.resolve("conpaas/pki")));
        assertEquals("rw-------", mode(data.resolve("conpaas/pki/ca-cert.pem")));
        assertEquals("rw-------", mode(data.resolve("conpaas/pki/https-keystore.p12")));
        assertEquals("rw-------", mode(data.resolve("derby/conpaas/seg0/c10.dat")));
        assertEquals("the cache folder closes its contents", "rwx------", mode(data.resolve("cache")));
        assertEquals("rw-------", mode(data.resolve("port")));
        assertEquals("nodes reach their folders", "rwxr-xr-x", mode(data));
        assertEquals("rwxr-xr-x", mode(data.resolve("cloud-local")));
        assertEquals("rw-r--r--", mode(data.resolve("cloud-local/runtime/agent.jar")));
        assertEquals("a link is not followed", "rw-r--r--", mode(outside));
    }

    @Test
    public void filesWrittenLaterAreMadeOwnerOnly() throws Exception {
        start();
        Path written = file(etc.resolve("org.conpaas.cloud.local-second.cfg"), "rw-r--r--");
        Path code = folder(data.resolve("conpaas/code/shop"));
        Path archive = file(code.resolve("v1.zip"), "rw-r--r--");
        Path newTop = folder(data.resolve("pax-web"));
        Path shared = folder(data.resolve("cloud-local/nodes"));
        eventually(written, "rw-------");
        eventually(archive, "rw-------");
        eventually(code, "rwx------");
        eventually(newTop, "rwx------");
        Files.setPosixFilePermissions(etc.resolve("org.ops4j.pax.web.cfg"),
                PosixFilePermissions.fromString("rw-r--r--"));
        eventually(etc.resolve("org.ops4j.pax.web.cfg"), "rw-------");
        Thread.sleep(300);
        assertEquals("the local cloud's folders stay as made", "rwxr-xr-x", mode(shared));
    }

    @Test
    public void theDataFolderOfAFirstStartIsMadeOwnerOnlyAndWatched() throws Exception {
        Path fresh = data.resolve("fresh");
        guard = new FileModeGuard(PrivateAreas.of(etc, data, fresh, new String[] {"cloud-local"}));
        assertEquals("rwx------", mode(fresh));
        Path pki = folder(fresh.resolve("pki"));
        Path cert = file(pki.resolve("ca-cert.pem"), "rw-r--r--");
        eventually(pki, "rwx------");
        eventually(cert, "rw-------");
        Path log = folder(data.resolve("log"));
        eventually(log, "rwx------");
    }

    @Test
    public void stoppingEndsTheWatcher() throws Exception {
        start().stop();
        guard = null;
        Path written = file(etc.resolve("late.cfg"), "rw-r--r--");
        Thread.sleep(500);
        assertEquals("rw-r--r--", mode(written));
        assertFalse(OwnerOnly.isOwnerOnly(written));
    }

    @Test
    public void aChangedConfigurationIsGuardedLiveAndTheWatchesGoOn() throws Exception {
        start();
        assertEquals("rwxr-xr-x", mode(data.resolve("cloud-local")));
        guard.apply(PrivateAreas.of(etc, data, data.resolve("conpaas"), new String[] {}));
        assertEquals("no longer shared with nodes: restricted at once", "rwx------", mode(data.resolve("cloud-local")));
        Path later = file(etc.resolve("written-after-the-change.cfg"), "rw-r--r--");
        eventually(later, "rw-------");
        Path inData = file(data.resolve("conpaas/pki/new-after-the-change.pem"), "rw-r--r--");
        eventually(inData, "rw-------");
    }

    private static void eventually(Path path, String expected) throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (expected.equals(mode(path))) {
                return;
            }
            Thread.sleep(20);
        }
        fail(path + " is " + mode(path) + ", not " + expected);
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }

    private static Path folder(Path dir) throws IOException {
        Files.createDirectories(dir);
        // the folder and its parents up to the temporary root, whatever the umask made them
        for (Path p = dir; p.getFileName() != null && !p.getFileName().toString().startsWith("junit");
                p = p.getParent()) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return dir;
    }

    private static Path file(Path file, String mode) throws IOException {
        Files.writeString(file, "x");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }
}
