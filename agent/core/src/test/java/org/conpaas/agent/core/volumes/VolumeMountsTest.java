package org.conpaas.agent.core.volumes;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Real mounts of real ext4 images (the tests run as root, as on the CI machine). */
public class VolumeMountsTest {

    private static final int MB = 1024 * 1024;

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private Path mediaDir;
    private VolumeMounts volumes;
    private final List<Path> images = new ArrayList<>();
    private final List<String> loopDevices = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();

    @Before
    public void setUp() throws Exception {
        mediaDir = temp.newFolder("work", "media").toPath();
        volumes = new VolumeMounts(mediaDir);
        assertEquals("these tests mount for real and must run as root", VolumeMounts.Method.KERNEL,
                volumes.method());
    }

    /** Whatever a failed test left: processes, mounts below the temp folder, loop devices on its images. */
    @After
    public void cleanUp() throws Exception {
        processes.forEach(Process::destroyForcibly);
        for (Process p : processes) {
            p.waitFor(5, TimeUnit.SECONDS);
        }
        String root = temp.getRoot().toPath().toRealPath() + "/";
        List<MountTable.Mount> mounts = new ArrayList<>(MountTable.read());
        for (int i = mounts.size() - 1; i >= 0; i--) {
            if (mounts.get(i).mountPoint().toString().startsWith(root)) {
                Commands.run(Duration.ofSeconds(10), "umount", "-l", mounts.get(i).mountPoint().toString());
            }
        }
        for (Path image : images) {
            for (String device : loopDevicesOf(image)) {
                Commands.run(Duration.ofSeconds(10), "losetup", "-d", device);
            }
        }
        for (String device : loopDevices) {
            Commands.run(Duration.ofSeconds(10), "losetup", "-d", device);
        }
    }

    @Test
    public void mountsAFreshImageAsExt4AndEnforcesItsSize() throws Exception {
        Path image = image("data", 8);

        VolumeMounts.Volume volume = volumes.mount("data", image.toString());

        Path path = mediaDir.resolve("data");
        assertEquals("data", volume.name());
        assertEquals(path.toString(), volume.path());
        assertEquals(image.toString(), volume.device());
        MountTable.Mount mount = mountAt(path).orElseThrow(() -> new AssertionError("not mounted at " + path));
        assertEquals("ext4", mount.fsType());
        assertTrue(mount.source(), mount.source().startsWith("/dev/loop"));
        assertTrue(Commands.run(Duration.ofSeconds(10), "blkid", "-p", image.toString()).stdout()
                .contains("TYPE=\"ext4\""));

        Files.writeString(path.resolve("hello.txt"), "kept on the volume");
        try (OutputStream out = Files.newOutputStream(path.resolve("big"))) {
            byte[] chunk = new byte[MB];
            for (int i = 0; i < 16; i++) {
                out.write(chunk);
                out.flush();
            }
            fail("16 MB fitted into an 8 MB volume");
        } catch (IOException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("No space left on device"));
        }
    }

    @Test
    public void mountingAgainIsIdempotentAndARemountKeepsTheData() throws Exception {
        Path image = image("db", 8);
        VolumeMounts.Volume first = volumes.mount("db", image.toString());
        Files.writeString(mediaDir.resolve("db/table"), "rows");

        VolumeMounts.Volume second = volumes.mount("db", image.toString());

        assertEquals(first, second);
        Path real = real("db");
        assertEquals(1, MountTable.read().stream().filter(m -> m.mountPoint().equals(real)).count());
        assertEquals(List.of(new VolumeMounts.Volume("db", mediaDir.resolve("db").toString(), image.toString())),
                volumes.list());

        volumes.unmount("db");
        volumes.mount("db", image.toString()); // a file system is found, so it is not formatted again
        assertEquals("rows", Files.readString(mediaDir.resolve("db/table")));
    }

    @Test
    public void unmountKillsTheProcessesUsingTheVolumeAndFreesTheLoopDevice() throws Exception {
        Path image = image("logs", 8);
        volumes.mount("logs", image.toString());
        Path log = mediaDir.resolve("logs/app.log");
        // holds the file open on fd 3 from another working directory, so only the open file ties it to the volume
        Process holder = start("exec 3>>'" + log + "'; exec sleep 60");
        Path real = real("logs");
        waitUntil(() -> ProcessHolders.of(real).contains(holder.pid()));
        assertEquals(1, loopDevicesOf(image).size());

        volumes.unmount("logs");

        assertTrue("the holder was killed", holder.waitFor(5, TimeUnit.SECONDS));
        assertTrue(mountAt(mediaDir.resolve("logs")).isEmpty());
        assertFalse("the folder is removed", Files.exists(mediaDir.resolve("logs")));
        assertEquals("no loop device left", List.of(), loopDevicesOf(image));
        assertTrue(volumes.list().isEmpty());
        assertTrue(ProcessHandle.current().isAlive());
    }

    @Test
    public void unmountingAVolumeThatIsNotMountedOnlyRemovesItsFolder() throws Exception {
        Files.createDirectories(mediaDir.resolve("gone/sub"));
        volumes.unmount("gone");
        assertFalse(Files.exists(mediaDir.resolve("gone")));
        volumes.unmount("never-was");
    }

    @Test
    public void listsEveryMountedVolumeWithItsDevice() throws Exception {
        Path a = image("a", 8);
        Path b = image("b", 8);
        volumes.mount("b_2", b.toString());
        volumes.mount("a-1", a.toString());
        Files.createDirectories(mediaDir.resolve("plain-folder"));

        assertEquals(List.of(new VolumeMounts.Volume("a-1", mediaDir.resolve("a-1").toString(), a.toString()),
                new VolumeMounts.Volume("b_2", mediaDir.resolve("b_2").toString(), b.toString())), volumes.list());
    }

    @Test
    public void mountsABlockDeviceDirectly() throws Exception {
        Path image = image("block", 8);
        Commands.Result attached = Commands.run(Duration.ofSeconds(10), "losetup", "-f", "--show", image.toString());
        assertTrue(attached.error(), attached.ok());
        String device = attached.stdout().strip();
        loopDevices.add(device);

        VolumeMounts.Volume volume = volumes.mount("blk", device);

        assertEquals(device, volume.device());
        assertEquals(device, mountAt(mediaDir.resolve("blk")).orElseThrow().source());
        Files.writeString(mediaDir.resolve("blk/x"), "y");
        volumes.unmount("blk");
        assertTrue(mountAt(mediaDir.resolve("blk")).isEmpty());
    }

    @Test
    public void refusesBadNamesAndDevices() throws Exception {
        Path image = image("ok", 8);
        for (String name : new String[] {"", "../etc", "a b", "a.b", "x".repeat(65), "é"}) {
            VolumeException e = fails(() -> volumes.mount(name, image.toString()));
            assertEquals(VolumeException.Kind.INVALID, e.kind());
            assertTrue(e.getMessage(), e.getMessage().contains("is not a valid volume name"));
        }
        assertEquals(VolumeException.Kind.INVALID, fails(() -> volumes.unmount("../x")).kind());
        Path folder = temp.newFolder("folder").toPath();
        String[][] devices = {
            {"relative/disk.img", "is not an absolute path"},
            {temp.getRoot() + "/absent.img", "does not exist"},
            {folder.toString(), "is neither an image file nor a block device"},
            {"/dev/null", "is neither an image file nor a block device"},
        };
        for (String[] device : devices) {
            VolumeException e = fails(() -> volumes.mount("v", device[0]));
            assertEquals(VolumeException.Kind.INVALID, e.kind());
            assertTrue(e.getMessage(), e.getMessage().contains(device[0]) && e.getMessage().contains(device[1]));
        }
        assertTrue(volumes.list().isEmpty());
        assertFalse(Files.exists(mediaDir.resolve("v")));
    }

    @Test
    public void oneDeviceAndOneNameHoldOneVolumeOnly() throws Exception {
        Path first = image("first", 8);
        Path second = image("second", 8);
        volumes.mount("v1", first.toString());

        VolumeException sameDevice = fails(() -> volumes.mount("v2", first.toString()));
        assertEquals(VolumeException.Kind.CONFLICT, sameDevice.kind());
        assertTrue(sameDevice.getMessage(), sameDevice.getMessage().contains("is already mounted at"));

        VolumeException sameName = fails(() -> volumes.mount("v1", second.toString()));
        assertEquals(VolumeException.Kind.CONFLICT, sameName.kind());
        assertTrue(sameName.getMessage(), sameName.getMessage().contains("already mounted from " + first));
    }

    @Test
    public void aFailingMountGivesTheToolsErrorAndLeavesNoFolder() throws Exception {
        Path image = image("garbage", 8);
        // a file system header blkid recognises but that mount cannot use: a swap signature
        Commands.Result mkswap = Commands.run(Duration.ofSeconds(10), "mkswap", image.toString());
        assertTrue(mkswap.error(), mkswap.ok());

        VolumeException e = fails(() -> volumes.mount("swap", image.toString()));

        assertEquals(VolumeException.Kind.FAILED, e.kind());
        assertTrue(e.getMessage(), e.getMessage().startsWith("mounting " + image + " at "));
        assertFalse(Files.exists(mediaDir.resolve("swap")));
        assertEquals(List.of(), loopDevicesOf(image));
    }

    @Test
    public void withoutRootOrFuse2fsVolumesAreRefusedInOneSentence() throws Exception {
        VolumeMounts none = new VolumeMounts(mediaDir, VolumeMounts.Method.NONE);
        VolumeException e = fails(() -> none.mount("data", image("data", 8).toString()));
        assertEquals(VolumeException.Kind.FAILED, e.kind());
        assertEquals("mounting volumes needs root (loop devices) or fuse2fs", e.getMessage());
    }

    /** An unprivileged node of the local cloud: its cloud mounted the volume already, the agent finds it. */
    @Test
    public void withoutRootAVolumeTheCloudMountedIsFoundAsMounted() throws Exception {
        Path image = image("premounted", 8);
        volumes.mount("data", image.toString()); // what the local cloud does as root
        VolumeMounts none = new VolumeMounts(mediaDir, VolumeMounts.Method.NONE);

        VolumeMounts.Volume found = none.mount("data", image.toString());

        assertEquals(mediaDir.resolve("data").toString(), found.path());
        assertEquals(List.of(found), none.list());
        assertEquals("another volume is still refused", "mounting volumes needs root (loop devices) or fuse2fs",
                fails(() -> none.mount("other", image("other", 8).toString())).getMessage());
    }

    @Test
    public void fuse2fsMountsTheImageInUserSpaceWithTheSameLimits() throws Exception {
        VolumeMounts fuse = new VolumeMounts(mediaDir, VolumeMounts.Method.FUSE2FS);
        Path image = image("fuse", 8);

        VolumeMounts.Volume volume = fuse.mount("fuse", image.toString());

        MountTable.Mount mount = mountAt(mediaDir.resolve("fuse")).orElseThrow();
        assertTrue(mount.fsType(), mount.isFuse());
        assertEquals(image.toString(), volume.device());
        assertEquals(List.of(volume), fuse.list());
        try (OutputStream out = Files.newOutputStream(mediaDir.resolve("fuse/big"))) {
            byte[] chunk = new byte[MB];
            for (int i = 0; i < 16; i++) {
                out.write(chunk);
                out.flush();
            }
            fail("16 MB fitted into an 8 MB volume");
        } catch (IOException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("No space left on device"));
        }
        fuse.unmount("fuse");
        assertTrue(mountAt(mediaDir.resolve("fuse")).isEmpty());
        assertFalse(Files.exists(mediaDir.resolve("fuse")));
    }

    private Path image(String name, int sizeMb) throws IOException {
        Path image = temp.getRoot().toPath().toRealPath().resolve(name + ".img");
        try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
            file.setLength((long) sizeMb * MB); // sparse, like the local cloud's images
        }
        images.add(image);
        return image;
    }

    private Path real(String name) throws IOException {
        return mediaDir.toRealPath().resolve(name);
    }

    private java.util.Optional<MountTable.Mount> mountAt(Path path) throws Exception {
        Path parent = path.getParent().toRealPath();
        Path wanted = parent.resolve(path.getFileName());
        return MountTable.read().stream().filter(m -> m.mountPoint().equals(wanted)).findFirst();
    }

    private static List<String> loopDevicesOf(Path image) throws Exception {
        Commands.Result result = Commands.run(Duration.ofSeconds(10), "losetup", "-j", image.toString());
        List<String> devices = new ArrayList<>();
        for (String line : result.stdout().split("\n")) {
            if (line.startsWith("/dev/loop")) {
                devices.add(line.substring(0, line.indexOf(':')));
            }
        }
        return devices;
    }

    private Process start(String script) throws IOException {
        Process process = new ProcessBuilder("bash", "-c", script).directory(temp.getRoot())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start();
        processes.add(process);
        return process;
    }

    private interface Action {
        void run() throws Exception;
    }

    private static VolumeException fails(Action action) throws Exception {
        try {
            action.run();
        } catch (VolumeException e) {
            return e;
        }
        throw new AssertionError("expected a VolumeException");
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void waitUntil(Condition condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(20);
        }
    }
}
