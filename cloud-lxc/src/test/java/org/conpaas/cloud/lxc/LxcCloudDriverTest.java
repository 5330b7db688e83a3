package org.conpaas.cloud.lxc;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.conpaas.api.CloudException;
import org.conpaas.api.cloud.CloudNode;
import org.conpaas.api.cloud.CloudNodeState;
import org.conpaas.api.cloud.CloudVolume;
import org.conpaas.api.cloud.LaunchRequest;
import org.conpaas.api.cloud.NodeLaunch;
import org.conpaas.service.support.host.FilePermissions;
import org.conpaas.service.support.host.HostCommand;
import org.conpaas.service.support.host.Mounts;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** What the LXC cloud does on real containers: address, isolation, limits, volumes, restart and crash recovery. */
public class LxcCloudDriverTest {

    /** A node that serves its own view of the world (hostname, routes, mounts) over HTTP on port 8080. */
    private static final String SERVING_USER_DATA = "#!/bin/sh\n"
            + "mkdir -p /www\n"
            + "hostname > /www/hostname\n"
            + "ip route > /www/routes\n"
            + "echo \"$CONPAAS_AGENT_ADDRESS:$CONPAAS_AGENT_PORT\" > /www/agent\n"
            + "exec busybox httpd -f -p 8080 -h /www\n";

    private final List<LxcCloudDriver> drivers = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Before
    public void startClean() throws Exception {
        LxcTestCloud.cleanUp();
    }

    @After
    public void leaveNothing() throws Exception {
        try {
            for (LxcCloudDriver driver : drivers) {
                driver.terminate(driver.list().stream().map(CloudNode::vmId).toList());
                driver.close();
            }
        } finally {
            LxcTestCloud.cleanUp();
        }
    }

    private LxcCloudDriver driver(LxcSettings settings) {
        LxcCloudDriver driver = LxcTestCloud.driver(settings);
        drivers.add(driver);
        return driver;
    }

    private static CloudNode launchOne(LxcCloudDriver driver, String nodeId, String userData) {
        CloudNode node = driver.launch(new LaunchRequest("test", List.of(new NodeLaunch(nodeId, nodeId, "node",
                userData)), null)).get(0);
        assertEquals(node.detail(), CloudNodeState.RUNNING, node.state());
        return node;
    }

    private String fetch(String address, String file) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://" + address + ":8080/" + file)).timeout(Duration.ofSeconds(3)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return response.body();
                }
            } catch (java.io.IOException notYet) {
                // the container's server is starting
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("nothing served at " + address + ":8080/" + file + " within 20 s");
            }
            Thread.sleep(200);
        }
    }

    private static String inside(LxcSettings settings, String vmId, String script) throws Exception {
        HostCommand.Result result = HostCommand.run(30, "lxc-attach", "-P",
                settings.dataDir().resolve("containers").toString(), "-n", vmId, "--", "/bin/sh", "-c", script);
        assertTrue(result.output(), result.ok());
        return result.output();
    }

    @Test
    public void eachNodeRunsItsUserDataInAContainerOfItsOwnOnTheBridgeWithNoWayOut() throws Exception {
        String forwarding = Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward"));
        LxcSettings settings = LxcTestCloud.settings("net", "198.18.0.150-198.18.0.151");
        LxcCloudDriver driver = driver(settings);
        CloudNode first = launchOne(driver, "node-1", SERVING_USER_DATA);
        CloudNode second = launchOne(driver, "node-2", SERVING_USER_DATA);

        assertEquals("198.18.0.150", first.address());
        assertEquals("198.18.0.151", second.address());
        assertEquals(first.vmId() + "\n", fetch(first.address(), "hostname"));
        assertEquals(second.vmId() + "\n", fetch(second.address(), "hostname"));
        assertEquals("the agent listens on the container's address", "198.18.0.150:5555\n",
                fetch(first.address(), "agent"));
        String routes = fetch(first.address(), "routes");
        assertTrue(routes, routes.contains("198.18.0.128/26 dev eth0"));
        assertFalse("no default route: " + routes, routes.contains("default"));
        assertTrue(HostCommand.run(10, "ip", "-4", "-o", "addr", "show", "dev", LxcTestCloud.BRIDGE).output()
                .contains("198.18.0.129/26"));
        assertEquals("ip_forward untouched", forwarding, Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward")));
        assertFalse(HostCommand.run(10, "ip", "link", "show", "dev", "lxcbr0").ok());

        CloudException full = assertThrows(CloudException.class, () -> {
            CloudNode third = driver.launch(new LaunchRequest("test", List.of(new NodeLaunch("node-3", "n3", "node",
                    SERVING_USER_DATA)), null)).get(0);
            throw new CloudException(third.state() + ": " + third.detail());
        });
        assertTrue(full.getMessage(), full.getMessage().startsWith("FAILED: no free address left in "
                + "198.18.0.150-198.18.0.151"));

        driver.terminate(List.of(first.vmId()));
        assertEquals(List.of(second.vmId()), driver.list().stream().map(CloudNode::vmId).toList());
        assertNull("the container is destroyed", driver.settings().dataDir().resolve("containers")
                .resolve(first.vmId()).toFile().listFiles());
        CloudNode again = launchOne(driver, "node-4", SERVING_USER_DATA);
        assertEquals("the address is free again", "198.18.0.150", again.address());
    }

    /**
     * Issue 14: root in a node's container is an unprivileged uid on the host, a range of its own per node; it writes
     * its own folders (files there are the node's ids on the host) and nothing host-root owns, even in a folder bound
     * writable into the container, nor the host's read-only mounts.
     */
    @Test
    public void rootInAContainerIsAnUnprivilegedUidOfItsOwnOnTheHost() throws Exception {
        LxcSettings settings = LxcTestCloud.settings("userns", "198.18.0.160-198.18.0.161");
        LxcCloudDriver driver = driver(settings);
        // closed after the driver started, as the local cloud closes Karaf's data/ folders to its node accounts
        FilePermissions.setMode(LxcTestCloud.DATA, "rwx------");
        CloudNode first = launchOne(driver, "node-1", "#!/bin/sh\nexec sleep 900\n");
        CloudNode second = launchOne(driver, "node-2", "#!/bin/sh\nexec sleep 900\n");
        long firstRoot = settings.idmapBase();
        long secondRoot = settings.idmapBase() + 65536;

        assertEquals("the init, root inside, on the host", List.of(firstRoot), hostIds(settings, first.vmId(), "Uid"));
        assertEquals(List.of(firstRoot), hostIds(settings, first.vmId(), "Gid"));
        assertEquals("each node its own range", List.of(secondRoot), hostIds(settings, second.vmId(), "Uid"));
        assertEquals("0\n", inside(settings, first.vmId(), "id -u"));
        assertEquals("opened again for the launch, to be entered by others only", "rwx-----x",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(LxcTestCloud.DATA)));

        Path media = settings.dataDir().resolve("nodes").resolve(first.vmId()).resolve("media");
        Path hostFile = Files.writeString(media.resolve("host-file"), "host root's\n");
        Path hostDir = Files.createDirectory(media.resolve("host-dir"));
        String tried = inside(settings, first.vmId(), "cd /var/lib/conpaas-node/media"
                + "; echo mine > made && echo made"
                + "; echo x >> host-file && echo wrote host-file"
                + "; touch host-dir/f && echo wrote host-dir"
                + "; touch /usr/x 2>&1"
                + "; ls -ln /usr/bin/env; true");
        assertTrue(tried, tried.contains("made"));
        assertFalse("host root's file is not writable: " + tried, tried.contains("wrote host-file"));
        assertFalse("nor its folder: " + tried, tried.contains("wrote host-dir"));
        assertTrue(tried, tried.contains("touch: /usr/x: Read-only file system"));
        assertTrue("host root's files are nobody's inside: " + tried, tried.contains(" 65534 "));
        assertEquals("host root's\n", Files.readString(hostFile));
        assertEquals(List.of(), listOf(hostDir));
        assertEquals("a file root made inside is the node's root's on the host", (int) firstRoot,
                Files.getAttribute(media.resolve("made"), "unix:uid"));
        assertEquals((int) firstRoot, Files.getAttribute(settings.dataDir().resolve("containers")
                .resolve(first.vmId()).resolve("rootfs/bin/busybox"), "unix:uid"));
        // the other node's folder is another account's
        assertEquals((int) secondRoot, Files.getAttribute(settings.dataDir().resolve("nodes")
                .resolve(second.vmId()).resolve("media"), "unix:uid"));
    }

    /** The Uid: or Gid: line of the container's init (root inside), as the host sees it: real, effective, saved, fs. */
    private static List<Long> hostIds(LxcSettings settings, String vmId, String field) throws Exception {
        HostCommand.Result pid = HostCommand.run(30, "lxc-info", "-P", settings.dataDir().resolve("containers")
                .toString(), "-n", vmId, "-p", "-H");
        assertTrue(pid.output(), pid.ok());
        for (String line : Files.readAllLines(Path.of("/proc", pid.output().strip(), "status"))) {
            if (line.startsWith(field + ":")) {
                return java.util.Arrays.stream(line.substring(field.length() + 1).trim().split("\\s+"))
                        .map(Long::parseLong).distinct().toList();
            }
        }
        throw new AssertionError("no " + field + " in the status of " + vmId + "'s init");
    }

    private static List<Path> listOf(Path dir) throws java.io.IOException {
        try (var files = Files.list(dir)) {
            return files.toList();
        }
    }

    @Test
    public void limitsAreEnforcedByTheContainersCgroupAndShownInItsDetail() throws Exception {
        LxcCloudDriver driver = driver(LxcTestCloud.settings("limits", "198.18.0.152-198.18.0.153", 192, 300));
        CloudNode node = launchOne(driver, "node-1", "#!/bin/sh\nexec sleep 900\n");

        assertEquals(Long.toString(192L * 1024 * 1024), driver.enforcedLimit(node.vmId(), "memory.limit_in_bytes"));
        assertEquals("300", driver.enforcedLimit(node.vmId(), "cpu.shares"));
        String detail = driver.describe(List.of(node.vmId())).get(0).detail();
        assertTrue(detail, detail.contains("memory 192 MB, cpu shares 300"));
        // more memory than the limit: the kernel ends the process
        String outcome = inside(driver.settings(), node.vmId(),
                "head -c 300m /dev/zero | tail > /dev/null; echo status $?");
        assertTrue(outcome, outcome.contains("status 137") || outcome.contains("Killed"));
    }

    @Test
    public void aVolumeIsMountedIntoTheRunningContainerWhereTheAgentLooksAndTakenAwayOnDetach() throws Exception {
        LxcCloudDriver driver = driver(LxcTestCloud.settings("volumes", "198.18.0.154-198.18.0.155"));
        CloudNode node = launchOne(driver, "node-1", "#!/bin/sh\nexec sleep 900\n");
        CloudVolume volume = driver.createVolume("data", 32);

        CloudVolume attached = driver.attachVolume(volume.id(), node.vmId(), "data");
        assertEquals(node.vmId(), attached.attachedTo());
        String seen = inside(driver.settings(), node.vmId(), "ls -l " + attached.device()
                + " && echo written > /var/lib/conpaas-node/media/data/file && grep media/data /proc/self/mountinfo");
        assertTrue("the device exists inside: " + seen, seen.contains(attached.device()));
        assertTrue(seen, seen.contains("/var/lib/conpaas-node/media/data"));
        Path hostSide = driver.settings().dataDir().resolve("nodes").resolve(node.vmId()).resolve("media/data");
        assertEquals("written\n", Files.readString(hostSide.resolve("file"), StandardCharsets.UTF_8));
        String readOnly = inside(driver.settings(), node.vmId(), "touch " + attached.device() + "x 2>&1; true");
        assertTrue("the devices folder is read-only inside: " + readOnly, readOnly.contains("Read-only"));

        driver.detachVolume(volume.id());
        String after = inside(driver.settings(), node.vmId(), "grep -c media/data /proc/self/mountinfo; true");
        assertEquals("0", after.strip());
        assertEquals(List.of(), Mounts.loopDevicesOf(attached.device()));

        CloudVolume again = driver.attachVolume(volume.id(), node.vmId(), "data");
        assertEquals("the data stayed on the volume", "written\n", inside(driver.settings(), node.vmId(),
                "cat /var/lib/conpaas-node/media/data/file"));
        driver.deleteVolume(volume.id());
        assertEquals(List.of(), Mounts.loopDevicesOf(again.device()));
        assertFalse(Files.exists(Path.of(again.device())));
    }

    @Test
    public void aVolumeMovedToAnotherNodeBecomesThatNodesIdForId() throws Exception {
        LxcSettings settings = LxcTestCloud.settings("move", "198.18.0.162-198.18.0.163");
        LxcCloudDriver driver = driver(settings);
        CloudNode first = launchOne(driver, "node-1", "#!/bin/sh\nexec sleep 900\n");
        CloudNode second = launchOne(driver, "node-2", "#!/bin/sh\nexec sleep 900\n");
        CloudVolume volume = driver.createVolume("data", 32);
        String data = "/var/lib/conpaas-node/media/data";

        driver.attachVolume(volume.id(), first.vmId(), "data");
        inside(settings, first.vmId(), "echo root > " + data + "/root-file && mkdir " + data + "/www && echo www > "
                + data + "/www/file && chown -R 33:33 " + data + "/www");
        driver.detachVolume(volume.id());
        driver.attachVolume(volume.id(), second.vmId(), "data");

        String seen = inside(settings, second.vmId(), "ls -ln " + data + " " + data + "/www && echo more >> " + data
                + "/root-file && echo wrote");
        assertTrue("the second node's root writes what the first's made: " + seen, seen.contains("wrote"));
        assertTrue("www-data's files stay www-data's: " + seen, seen.matches("(?s).*33 +33 .*file.*"));
        Path hostSide = settings.dataDir().resolve("nodes").resolve(second.vmId()).resolve("media/data");
        long secondRoot = settings.idmapBase() + 65536;
        assertEquals((int) secondRoot, Files.getAttribute(hostSide.resolve("root-file"), "unix:uid"));
        assertEquals((int) (secondRoot + 33), Files.getAttribute(hostSide.resolve("www/file"), "unix:uid"));
        assertEquals((int) (secondRoot + 33), Files.getAttribute(hostSide.resolve("www/file"), "unix:gid"));
        driver.deleteVolume(volume.id());
    }

    @Test
    public void aRestartedDriverFindsItsRunningContainersAndCleansWhatACrashLeft() throws Exception {
        LxcSettings settings = LxcTestCloud.settings("restart", "198.18.0.156-198.18.0.157");
        LxcCloudDriver before = driver(settings);
        CloudNode node = launchOne(before, "node-1", SERVING_USER_DATA);
        before.close();
        // a crash in the middle of a launch: a cloned container whose node folder never got its record
        Path lxcPath = settings.dataDir().resolve("containers");
        String orphan = settings.containerPrefix() + "0badc0de";
        assertTrue(HostCommand.run(60, "lxc-copy", "-P", lxcPath.toString(), "-n", settings.containerPrefix()
                + "base", "-N", orphan).ok());
        // another cloud's container in the same folder is not this cloud's
        String foreign = "cps-other-12345678";
        assertTrue(HostCommand.run(60, "lxc-copy", "-P", lxcPath.toString(), "-n", settings.containerPrefix()
                + "base", "-N", foreign).ok());

        LxcCloudDriver after = driver(settings);
        List<CloudNode> listed = after.list();
        assertEquals(1, listed.size());
        assertEquals(node.vmId(), listed.get(0).vmId());
        assertEquals("node-1", listed.get(0).nodeId());
        assertEquals(CloudNodeState.RUNNING, listed.get(0).state());
        assertEquals(node.vmId() + "\n", fetch(node.address(), "hostname"));
        assertFalse("the orphan is destroyed", Files.exists(lxcPath.resolve(orphan)));
        assertTrue("another cloud's container is left alone", Files.exists(lxcPath.resolve(foreign)));
    }

    /** An unreachable mirror (nothing listens on port 9 here): the launch fails saying so, and no base is left. */
    @Test
    public void aDebianBaseWhoseMirrorCannotBeReachedFailsTheLaunchWithTheReasonAndLeavesNothing() throws Exception {
        LxcSettings busybox = LxcTestCloud.settings("deb", "198.18.0.180-198.18.0.181");
        LxcSettings settings = new LxcSettings(busybox.name(), busybox.bridge(), busybox.bridgeAddress(),
                busybox.addresses(), busybox.agentPort(), busybox.dataDir(), busybox.memoryMb(), busybox.cpuShares(),
                List.of(busybox.javaHome()), busybox.javaHome(), busybox.javaOptions(), null, 0, busybox.idmapBase(),
                new BaseImage("debian", "bookworm", "http://127.0.0.1:9/debian", List.of()));
        LxcCloudDriver driver = driver(settings);
        CloudNode node = driver.launch(new LaunchRequest("test", List.of(new NodeLaunch("n1", "n1", "node",
                SERVING_USER_DATA)), null)).get(0);
        assertEquals(CloudNodeState.FAILED, node.state());
        assertTrue(node.detail(), node.detail().startsWith("cloud deb cannot prepare its Debian base: debootstrap of "
                + "bookworm from http://127.0.0.1:9/debian failed (is the mirror reachable from this host, and the "
                + "suite one of its?): E: Failed getting release file http://127.0.0.1:9/debian/dists/bookworm/"));
        Path containers = settings.dataDir().resolve("containers");
        try (var left = Files.list(containers)) {
            assertEquals("no base, no node container", List.of(), left.toList());
        }
        assertEquals(List.of(), driver.list());
        assertFalse(Files.readString(Path.of("/proc/self/mountinfo")).contains(containers.toString()));
    }

    @Test
    public void idRangesHoldingAnAccountOfTheHostMakeTheCloudUnavailable() throws Exception {
        LxcSettings settings = LxcTestCloud.settings("accounts", "198.18.0.164-198.18.0.165");
        Path passwd = Files.createDirectories(LxcTestCloud.DATA).resolve("passwd");
        Files.writeString(passwd, "root:x:0:0::/root:/bin/sh\nldap-user:x:" + (settings.idmapBase() + 65536 + 7)
                + ":100::/home/l:/bin/sh\n");
        LxcCloudDriver driver = new LxcCloudDriver(settings, 0, List.of(passwd, Path.of("/etc/group")), List.of());
        drivers.add(driver);
        assertEquals("cloud accounts (LXC): its containers' host ids 1879048192-1879179263 hold the account "
                + "ldap-user (id 1879113735 in " + passwd + "); choose another idmapBase", driver.unavailableReason());
        assertNull("this host's own accounts are below the default ranges",
                driver(LxcTestCloud.settings("accounts", "198.18.0.164-198.18.0.165")).unavailableReason());
    }

    @Test
    public void idRangesOverlappingAnotherLxcCloudsMakeTheCloudUnavailable() {
        LxcSettings settings = LxcTestCloud.settings("overlap", "198.18.0.164-198.18.0.165");
        LxcCloudDriver driver = new LxcCloudDriver(settings, 0, HostAccounts.FILES,
                List.of(new OtherClouds.MappedIds("apart", 1L << 31, (1L << 31) + 65535),
                        new OtherClouds.MappedIds("shop", settings.idmapBase() + 65536, settings.idmapBase() + 131071)));
        drivers.add(driver);
        assertEquals("cloud overlap (LXC): its containers' host ids 1879048192-1879179263 overlap those of the LXC "
                + "cloud shop (1879113728-1879179263), so their containers could share uids; give one of them another "
                + "idmapBase", driver.unavailableReason());
        LxcCloudDriver alone = new LxcCloudDriver(settings, 0, HostAccounts.FILES,
                List.of(new OtherClouds.MappedIds("apart", 1L << 31, (1L << 31) + 65535)));
        drivers.add(alone);
        assertNull(alone.unavailableReason());
    }

    @Test
    public void withoutRootTheCloudIsUnavailableAndSaysSoInOneSentence() {
        LxcCloudDriver driver = new LxcCloudDriver(LxcTestCloud.settings("user", "198.18.0.158-198.18.0.158"), 1000);
        drivers.add(driver);
        assertEquals("cloud user (LXC) needs the director to run as root; it runs as uid 1000",
                driver.unavailableReason());
        CloudException refused = assertThrows(CloudException.class, () -> driver.launch(new LaunchRequest("test",
                List.of(new NodeLaunch("node-1", "n", "node", "#!/bin/sh\n")), null)));
        assertEquals(driver.unavailableReason(), refused.getMessage());
        assertEquals(List.of(), driver.list());
        assertFalse("nothing is set up", Files.exists(driver.settings().dataDir()));
    }
}
