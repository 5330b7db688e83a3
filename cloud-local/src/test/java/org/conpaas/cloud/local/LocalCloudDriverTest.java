package org.conpaas.cloud.local;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.conpaas.api.CloudException;
import org.conpaas.api.InvalidInputException;
import org.conpaas.api.cloud.CloudCapability;
import org.conpaas.api.cloud.CloudNode;
import org.conpaas.api.cloud.CloudNodeState;
import org.conpaas.api.cloud.CloudVolume;
import org.conpaas.api.cloud.LaunchListener;
import org.conpaas.api.cloud.LaunchRequest;
import org.conpaas.api.cloud.NodeLaunch;
import org.conpaas.service.support.host.Mounts;
import org.conpaas.service.support.host.PropertiesFiles;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/** Launches real processes (a fake agent: sh + a python HTTP listener child) on loopback addresses. */
public class LocalCloudDriverTest {

    private static final byte[] KEY_STORE = {1, 2, 3, 4};
    private static final byte[] TRUST_STORE = {5, 6, 7};
    private static final long MB = 1024 * 1024;

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private Path dataDir;
    private int port;
    private final List<LocalCloudDriver> drivers = new ArrayList<>();
    private final List<Long> extraPids = new ArrayList<>();

    @Before
    public void setUp() throws Exception {
        dataDir = temp.newFolder("data").toPath();
        try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            port = free.getLocalPort(); // a port nobody else uses on this host, so other tests cannot collide
        }
    }

    /** Kills every process the test may have left, by recorded pid and group, even when a test failed. */
    @After
    public void killEverything() throws Exception {
        drivers.forEach(LocalCloudDriver::close);
        Path nodes = dataDir.resolve("nodes");
        if (Files.isDirectory(nodes)) {
            try (Stream<Path> dirs = Files.list(nodes)) {
                for (Path dir : dirs.toList()) {
                    Path record = dir.resolve("node.properties");
                    if (Files.exists(record)) {
                        long pid = Long.parseLong(PropertiesFiles.read(record).getOrDefault("pid", "-1"));
                        killGroup(pid);
                    }
                    Path child = dir.resolve("work/child.pid");
                    // The fake agent may not have written its child's pid yet; the sweep below catches that child.
                    String childPid = Files.exists(child) ? Files.readString(child).trim() : "";
                    // A sandboxed node writes the pid it has inside its own PID namespace: only a process that names
                    // this test's data directory is ours to kill.
                    if (childPid.matches("\\d+")
                            && commandLine(Long.parseLong(childPid)).contains(dataDir.toString())) {
                        ProcessHandle.of(Long.parseLong(childPid)).ifPresent(ProcessHandle::destroyForcibly);
                    }
                }
            }
        }
        extraPids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        // Also whatever still names this test's private data directory on its command line or works below its
        // temporary folder, in case the code under test lost track of a process (the node record is gone but a
        // child survived, or a startup script's process left its node's group).
        String marker = dataDir.toString();
        String root = temp.getRoot().toString();
        ProcessHandle.allProcesses()
                .filter(p -> p.pid() != ProcessHandle.current().pid())
                .filter(p -> commandLine(p.pid()).contains(marker)
                        || workingDirectory(p.pid()).startsWith(root + "/"))
                .forEach(ProcessHandle::destroyForcibly);
    }

    /** Where a process works (a startup script's straggler works in its node's folder). */
    private static String workingDirectory(long pid) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "cwd")).toString();
        } catch (IOException e) {
            return "";
        }
    }

    private static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                    StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    private static void killGroup(long pgid) throws Exception {
        if (pgid <= 1 || pgid == ProcessTable.stat(ProcessHandle.current().pid()).orElseThrow().pgid()) {
            return;
        }
        if (ProcessTable.liveGroupMembers(pgid).isEmpty()) {
            return;
        }
        new ProcessBuilder("kill", "-KILL", "--", "-" + pgid).inheritIO().start().waitFor(5, TimeUnit.SECONDS);
    }

    private LocalCloudDriver driver(String range) {
        LocalCloudDriver driver = new LocalCloudDriver(new LocalCloudSettings("test", AddressRange.parse(range), port,
                dataDir, Path.of(System.getProperty("java.home")), "-Xmx16m -Dfake=1",
                NodeAccounts.UidRange.parse("2000000000-2000999999")));
        drivers.add(driver);
        return driver;
    }

    private LocalCloudDriver driver() {
        return driver("127.77.0.1-127.77.0.254");
    }

    private NodeLaunch node(String nodeId, String startupScript) {
        Map<String, String> config = Map.of("conpaas.node.id", nodeId, "conpaas.node.role", "node",
                "conpaas.application.id", "7", "conpaas.director.url", "https://127.0.0.1:8443/");
        return new NodeLaunch(nodeId, "app7-" + nodeId, "node",
                FakeUserData.of(config, KEY_STORE, TRUST_STORE, "s3cret", startupScript));
    }

    private LaunchRequest request(int count) {
        return new LaunchRequest("test", IntStream.rangeClosed(1, count)
                .mapToObj(i -> node("node-" + i, null)).toList(), LaunchListener.NONE);
    }

    private static LaunchRequest request(NodeLaunch node) {
        return new LaunchRequest("test", List.of(node), LaunchListener.NONE);
    }

    @Test
    public void launchesTenNodesInParallelOnDistinctAddresses() throws Exception {
        LocalCloudDriver driver = driver();
        List<CloudNode> nodes = driver.launch(request(10));

        assertEquals(10, nodes.size());
        Set<String> addresses = nodes.stream().map(CloudNode::address).collect(Collectors.toSet());
        assertEquals("distinct addresses " + addresses, 10, addresses.size());
        assertEquals(10, nodes.stream().map(CloudNode::vmId).distinct().count());
        for (CloudNode node : nodes) {
            assertTrue(node.vmId(), node.vmId().matches("local-[0-9a-f]{8}"));
            assertTrue(node.address(), node.address().startsWith("127.77.0."));
            assertEquals(CloudNodeState.RUNNING, node.state());
            // The listener on the node's address serves that node's own work folder: address and node match.
            String config = httpGet(node.address(), "/agent.properties");
            assertTrue(config, config.contains("conpaas.agent.address=" + node.address()));
            assertTrue(config, config.contains("conpaas.node.id=" + node.nodeId()));
        }
        assertEquals(10, driver.list().stream().filter(n -> n.state() == CloudNodeState.RUNNING).count());
    }

    @Test
    public void writesAgentConfigurationAndStoresIntoTheNodeDirectory() throws Exception {
        CloudNode node = driver().launch(request(node("node-3", null)))
                .get(0);
        Path nodeDir = dataDir.resolve("nodes").resolve(node.vmId());
        Path dir = nodeDir.resolve("work");
        // the node's user data writes its files: once the agent answers, they are all there
        httpGet(node.address(), "/");

        Map<String, String> config = PropertiesFiles.read(dir.resolve("agent.properties"));
        assertEquals("node-3", config.get("conpaas.node.id"));
        assertEquals("https://127.0.0.1:8443/", config.get("conpaas.director.url"));
        assertEquals(node.address(), config.get("conpaas.agent.address"));
        assertEquals(Integer.toString(port), config.get("conpaas.agent.port"));
        assertEquals(dir.resolve("keystore.p12").toString(), config.get("conpaas.agent.keystore"));
        assertEquals(dir.resolve("truststore.p12").toString(), config.get("conpaas.agent.truststore"));
        assertEquals("s3cret", config.get("conpaas.agent.storePassword"));
        assertEquals(dir.toString(), config.get("conpaas.agent.workDir"));
        assertEquals(nodeDir.resolve("media").toString(), config.get("conpaas.agent.mediaDir"));
        assertArrayEquals(KEY_STORE, Files.readAllBytes(dir.resolve("keystore.p12")));
        assertArrayEquals(TRUST_STORE, Files.readAllBytes(dir.resolve("truststore.p12")));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("agent.properties"))));
        assertEquals("the user data is the node's alone", "rw-------",
                java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(
                        dir.resolve(NodeLauncher.USER_DATA))));
        assertEquals(port, node.agentPort());

        String out = Files.readString(dir.resolve("logs/agent.out"));
        assertTrue(out, out.contains("JAVA_HOME=" + System.getProperty("java.home")));
        assertTrue(out, out.contains("AGENT_JAVA_OPTS=-Xmx16m -Dfake=1"));

        Map<String, String> record = PropertiesFiles.read(nodeDir.resolve("node.properties"));
        assertEquals(node.vmId(), record.get("vmId"));
        assertEquals(node.address(), record.get("address"));
        long pid = Long.parseLong(record.get("pid"));
        assertEquals("the agent leads its own process group", pid,
                ProcessTable.stat(pid).orElseThrow().pgid());
        assertEquals(Long.toString(ProcessTable.startTicks(pid)), record.get("startTime"));
    }

    @Test
    public void runsTheStartupScriptBeforeTheAgent() throws Exception {
        String script = "echo preparing node\ntouch startup-ran\nexit 3\n";
        CloudNode node = driver().launch(request(node("node-1", script)))
                .get(0);
        Path dir = dataDir.resolve("nodes").resolve(node.vmId()).resolve("work");
        httpGet(node.address(), "/");

        String startupLog = Files.readString(dir.resolve("logs/startup.log"));
        assertTrue(startupLog, startupLog.contains("preparing node"));
        assertTrue(startupLog, startupLog.contains("startup script exited with status 3"));
        String out = Files.readString(dir.resolve("logs/agent.out"));
        assertTrue(out, out.contains("startup script ran before the agent"));
    }

    @Test
    public void terminateKillsTheWholeProcessGroupAndFreesTheNode() throws Exception {
        LocalCloudDriver driver = driver();
        List<CloudNode> nodes = driver.launch(request(2));
        CloudNode victim = nodes.get(0);
        Path dir = dataDir.resolve("nodes").resolve(victim.vmId());
        httpGet(victim.address(), "/");
        httpGet(nodes.get(1).address(), "/"); // both are up before one goes
        long agentPid = Long.parseLong(PropertiesFiles.read(dir.resolve("node.properties")).get("pid"));
        long childPid = Long.parseLong(Files.readString(dir.resolve("work/child.pid")).trim());
        assertTrue(ProcessTable.isRunning(childPid, ProcessTable.startTicks(childPid)));

        long started = System.nanoTime();
        driver.terminate(List.of(victim.vmId()));
        assertTrue("TERM is enough for the fake agent", System.nanoTime() - started < TimeUnit.SECONDS.toNanos(4));

        assertFalse("agent process", isAlive(agentPid));
        assertFalse("agent's child (same group)", isAlive(childPid));
        assertFalse(Files.exists(dir));
        assertFalse("address freed", Files.exists(dataDir.resolve("addresses").resolve(victim.address())));
        assertFalse("nothing listens any more", listening(victim.address()));
        assertEquals(List.of(nodes.get(1).vmId()), driver.list().stream().map(CloudNode::vmId).toList());
        assertTrue(driver.describe(List.of(victim.vmId())).isEmpty());
        assertTrue("the other node is untouched", listening(nodes.get(1).address()));
    }

    @Test
    public void aNodeWhoseProcessEndedIsTerminatedAndCanStillBeCleanedUp() throws Exception {
        LocalCloudDriver driver = driver();
        CloudNode node = driver.launch(request(1)).get(0);
        Path dir = dataDir.resolve("nodes").resolve(node.vmId());
        httpGet(node.address(), "/");
        killGroup(Long.parseLong(PropertiesFiles.read(dir.resolve("node.properties")).get("pid")));
        waitUntil(() -> driver.describe(List.of(node.vmId())).get(0).state() == CloudNodeState.TERMINATED);

        CloudNode described = driver.describe(List.of(node.vmId())).get(0);
        assertEquals(node.address(), described.address());
        assertTrue(described.detail(), described.detail().contains("logs/agent.out"));
        driver.terminate(List.of(node.vmId()));
        assertTrue(driver.list().isEmpty());
    }

    @Test
    public void aSecondDriverOverTheSameDataDirSeesAndTerminatesTheNodes() throws Exception {
        LocalCloudDriver first = driver();
        List<CloudNode> launched = first.launch(request(2));
        first.close(); // the director goes away; its nodes keep running

        LocalCloudDriver second = driver();
        List<CloudNode> listed = second.list();
        assertEquals(Set.copyOf(launched.stream().map(CloudNode::vmId).toList()),
                Set.copyOf(listed.stream().map(CloudNode::vmId).toList()));
        for (CloudNode node : listed) {
            assertEquals(CloudNodeState.RUNNING, node.state());
            CloudNode original = launched.stream().filter(n -> n.vmId().equals(node.vmId())).findFirst().orElseThrow();
            assertEquals(original.address(), node.address());
            assertEquals(original.nodeId(), node.nodeId());
        }
        // Reservations survived: a new node gets an address none of the running nodes has.
        CloudNode third = second.launch(request(1)).get(0);
        assertFalse(launched.stream().anyMatch(n -> n.address().equals(third.address())));

        List<Long> pids = new ArrayList<>();
        for (CloudNode node : second.list()) {
            httpGet(node.address(), "/");
            Path dir = dataDir.resolve("nodes").resolve(node.vmId());
            pids.add(Long.parseLong(PropertiesFiles.read(dir.resolve("node.properties")).get("pid")));
            pids.add(Long.parseLong(Files.readString(dir.resolve("work/child.pid")).trim()));
        }
        second.terminate(second.list().stream().map(CloudNode::vmId).toList());
        assertTrue(second.list().isEmpty());
        for (long pid : pids) {
            assertFalse("process " + pid, isAlive(pid));
        }
        assertTrue(new AddressPool(AddressRange.parse("127.77.0.1-127.77.0.254"), dataDir.resolve("addresses"), port,
                id -> true).reserved().isEmpty());
    }

    @Test
    public void aNodeThatCannotBeLaunchedIsReportedFailedAndTheOthersAreKept() throws Exception {
        LocalCloudDriver driver = driver("127.77.1.1-127.77.1.2"); // room for two nodes only
        List<String> created = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<CloudNode> nodes = driver.launch(new LaunchRequest("test", List.of(node("node-1", null),
                node("node-2", null), node("node-3", null)), (nodeId, vmId) -> created.add(nodeId + "=" + vmId)));
        assertEquals(List.of("node-1", "node-2", "node-3"), nodes.stream().map(CloudNode::nodeId).toList());
        List<CloudNode> failed = nodes.stream().filter(n -> n.state() == CloudNodeState.FAILED).toList();
        assertEquals(1, failed.size());
        assertTrue(failed.get(0).detail(), failed.get(0).detail()
                .contains("no free address left in 127.77.1.1-127.77.1.2"));
        assertEquals("each machine is told as soon as it exists", 3, created.size());
        List<CloudNode> running = nodes.stream().filter(n -> n.state() == CloudNodeState.RUNNING).toList();
        assertEquals("the driver rolls nothing back", 2, running.size());
        assertEquals(Set.copyOf(running.stream().map(CloudNode::vmId).toList()),
                Set.copyOf(driver.list().stream().map(CloudNode::vmId).toList()));
        driver.terminate(nodes.stream().map(CloudNode::vmId).filter(v -> v != null).toList());
        assertTrue(driver.list().isEmpty());
        assertEquals(List.of(), listOrEmpty(dataDir.resolve("nodes")));
        assertEquals(List.of(), listOrEmpty(dataDir.resolve("addresses")));
        assertEquals(2, driver.launch(request(2)).size()); // and the addresses are usable again
    }

    @Test
    public void aReusedPidIsNeitherReportedNorSignalled() throws Exception {
        Process stranger = new ProcessBuilder("setsid", "sleep", "30").start();
        extraPids.add(stranger.pid());
        waitUntil(() -> ProcessTable.stat(stranger.pid()).map(s -> s.pgid() == stranger.pid()).orElse(false));
        // A node record that names the stranger's pid but another start time, as after pid reuse.
        String vmId = "local-0000abcd";
        Path dir = Files.createDirectories(dataDir.resolve("nodes").resolve(vmId));
        new NodeRecord(vmId, "node-1", "n", "node", "127.77.0.9", port, NodeAccounts.DIRECTOR_ACCOUNT,
                stranger.pid(),
                ProcessTable.startTicks(stranger.pid()) - 1).write(dir);
        LocalCloudDriver driver = driver();

        assertEquals(CloudNodeState.TERMINATED, driver.describe(List.of(vmId)).get(0).state());
        driver.terminate(List.of(vmId));
        assertTrue("the unrelated process survives", stranger.isAlive());
        assertFalse(Files.exists(dir));
    }

    @Test
    public void unknownVmIdsAreIgnored() throws Exception {
        LocalCloudDriver driver = driver();
        driver.terminate(List.of("local-00000000", "../../etc", "i-123"));
        assertTrue(driver.describe(List.of("local-00000000", "../nodes")).isEmpty());
        assertEquals(Set.of(CloudCapability.VOLUMES), driver.capabilities());
        assertEquals("local", driver.type());
        assertEquals("test", driver.name());
    }

    /**
     * The director runs as root here (as in CI): each node's agent, and the startup script before it, runs as an
     * account of its own without groups, capabilities or a way to regain them; that account reads nothing of
     * another node, of the driver's records or of the director, and terminate leaves no process of it behind.
     */
    @Test
    public void asRootEachNodeRunsAsAnAccountOfItsOwnConfinedToItsFolder() throws Exception {
        assertTrue("this test needs root, as CI runs it", NodeAccounts.directorIsRoot());
        // like data/conpaas: a director's folder closed to others (700) protects even a file readable by all
        Path directorFolder = Files.createDirectory(dataDir.getParent().resolve("conpaas"),
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
        Path secret = Files.writeString(directorFolder.resolve("admin-password.txt"), "admin password");
        LocalCloudDriver driver = driver();
        CloudNode first = driver.launch(request(1)).get(0);
        httpGet(first.address(), "/"); // its user data has written its files
        Path firstDir = dataDir.resolve("nodes").resolve(first.vmId());
        String probe = "id -u > whoami\n"
                + "cat " + firstDir.resolve("work/agent.properties") + " && echo READ-OTHER-CONFIG\n"
                + "cat " + firstDir.resolve("work/keystore.p12") + " && echo READ-OTHER-KEY\n"
                + "ls " + firstDir + " && echo LISTED-OTHER-NODE\n"
                + "cat " + firstDir.resolve("node.properties") + " && echo READ-OTHER-RECORD\n"
                + "cat " + secret + " && echo READ-DIRECTOR-SECRET\n"
                + "cat ../node.properties && echo READ-OWN-RECORD\n"
                + "echo pid=1 >> ../node.properties && echo WROTE-OWN-RECORD\n"
                + "touch ../planted && echo WROTE-NODE-FOLDER\n"
                + "ls " + dataDir + " " + dataDir.resolve("nodes") + " " + dataDir.resolve("addresses")
                + " && echo LISTED-DATA\n"
                + "setsid sleep 300 > /dev/null 2>&1 < /dev/null &\n"
                + "echo $! > straggler.pid\n";
        CloudNode second = driver.launch(request(node("node-2", probe)))
                .get(0);
        httpGet(second.address(), "/");
        Path secondDir = dataDir.resolve("nodes").resolve(second.vmId());
        Map<String, String> firstRecord = PropertiesFiles.read(firstDir.resolve("node.properties"));
        Map<String, String> secondRecord = PropertiesFiles.read(secondDir.resolve("node.properties"));
        long uid = Long.parseLong(secondRecord.get("uid"));
        assertTrue("uid " + uid + " from the configured range", uid >= 2_000_000_000L && uid <= 2_000_999_999L);
        assertNotEquals("each node has its own account", firstRecord.get("uid"), secondRecord.get("uid"));

        String log = Files.readString(secondDir.resolve("work/logs/startup.log"));
        assertEquals("the startup script ran as the node's account", Long.toString(uid),
                Files.readString(secondDir.resolve("work/whoami")).strip());
        for (String marker : List.of("READ-OTHER-CONFIG", "READ-OTHER-KEY", "LISTED-OTHER-NODE", "READ-OTHER-RECORD",
                "READ-DIRECTOR-SECRET", "READ-OWN-RECORD", "WROTE-OWN-RECORD", "WROTE-NODE-FOLDER", "LISTED-DATA")) {
            assertFalse(marker + " in " + log, log.contains(marker));
        }
        assertTrue(log, log.contains("Permission denied"));
        assertEquals("the record is untouched", secondRecord.get("pid"),
                PropertiesFiles.read(secondDir.resolve("node.properties")).get("pid"));

        long agentPid = Long.parseLong(secondRecord.get("pid"));
        String environment = new String(Files.readAllBytes(Path.of("/proc", Long.toString(agentPid), "environ")),
                StandardCharsets.UTF_8);
        assertTrue(environment, environment.contains("HOME=" + secondDir.resolve("work") + "\0"));
        assertTrue(environment, environment.contains("TMPDIR=" + secondDir.resolve("work/tmp") + "\0"));
        assertFalse("no PATH entry the node cannot enter: " + environment, environment.contains(":/root/")
                || environment.contains("PATH=/root/"));
        Map<String, String> status = procStatus(agentPid);
        assertEquals(status.toString(), List.of(uid, uid, uid, uid), numbers(status.get("Uid")));
        assertEquals(status.toString(), List.of(uid, uid, uid, uid), numbers(status.get("Gid")));
        assertEquals("no supplementary group", "", status.get("Groups"));
        assertEquals("1", status.get("NoNewPrivs"));
        assertEquals("0000000000000000", status.get("CapEff"));
        assertEquals("0000000000000000", status.get("CapBnd"));

        assertOwnerAndMode(secondDir, 0, uid, "rwxr-x---");
        assertOwnerAndMode(secondDir.resolve("node.properties"), 0, 0, "rw-------");
        assertOwnerAndMode(secondDir.resolve("media"), 0, uid, "rwxr-x---");
        assertOwnerAndMode(secondDir.resolve("work"), uid, uid, "rwx------");
        for (String file : List.of("agent.properties", "keystore.p12", "truststore.p12", "startup.sh")) {
            assertOwnerAndMode(secondDir.resolve("work").resolve(file), uid, uid, "rw-------");
        }

        long straggler = Long.parseLong(Files.readString(secondDir.resolve("work/straggler.pid")).strip());
        extraPids.add(straggler);
        assertNotEquals("it left the node's process group", agentPid,
                ProcessTable.stat(straggler).orElseThrow().pgid());
        driver.terminate(List.of(second.vmId()));
        assertFalse("terminate kills what runs as the node's account outside its group", isAlive(straggler));
        assertEquals(List.of(), ProcessTable.processesOf(uid));
        assertFalse(Files.exists(secondDir));
    }

    /**
     * Without accounts of their own (a director that is not root; switched off here, so that CI, which runs as root,
     * tests it) nodes run as the director's account inside a bubblewrap sandbox: a startup script reads nothing of
     * the director's data/conpaas or etc/, of another node or of the director's process, cannot write the host's
     * files (here Karaf's folder, visible read-only), but has its own folder; the agent answers; terminate leaves nothing of the sandbox, not even a process
     * that left the node's process group.
     */
    @Test
    public void withoutSeparateAccountsNodesRunAsTheDirectorsAccountInASandbox() throws Exception {
        Path karaf = temp.newFolder("karaf").toPath();
        Path etc = Files.createDirectory(karaf.resolve("etc"));
        Files.writeString(etc.resolve("org.ops4j.pax.web.cfg"), "org.ops4j.pax.web.ssl.keystore.password=etc-secret");
        Path karafData = Files.createDirectory(karaf.resolve("data"));
        Path conpaas = Files.createDirectory(karafData.resolve("conpaas"));
        Path secret = Files.writeString(conpaas.resolve("admin-password.txt"), "admin-password-secret");
        dataDir = karafData.resolve("cloud-local"); // Karaf's layout; the cleanup after the test follows it
        LocalCloudSettings settings = new LocalCloudSettings("test", AddressRange.parse("127.77.2.1-127.77.2.9"),
                port, dataDir, Path.of(System.getProperty("java.home")), "-Xmx16m",
                NodeAccounts.UidRange.parse("2000000000-2000999999"));
        NodeSandbox sandbox = new NodeSandbox(List.of(etc, karafData));
        LocalCloudDriver driver = new LocalCloudDriver(settings, false, sandbox);
        drivers.add(driver);
        CloudNode first = driver.launch(request(1)).get(0);
        httpGet(first.address(), "/"); // its user data has written its files
        Path firstDir = dataDir.resolve("nodes").resolve(first.vmId());
        long director = ProcessHandle.current().pid();
        String probe = "id -u > whoami\n"
                + "cat " + secret + " && echo READ-ADMIN-PASSWORD\n"
                + "ls " + conpaas + " | grep -q admin && echo LISTED-CONPAAS\n"
                + "cat " + etc.resolve("org.ops4j.pax.web.cfg") + " && echo READ-ETC\n"
                + "ls " + etc + " | grep -q cfg && echo LISTED-ETC\n"
                + "cat " + firstDir.resolve("work/agent.properties") + " && echo READ-OTHER-NODE\n"
                + "ls " + dataDir.resolve("nodes") + " | grep -q " + first.vmId() + " && echo LISTED-OTHER-NODE\n"
                + "cat ../node.properties && echo READ-OWN-RECORD\n"
                + "cat /proc/" + director + "/cmdline && echo READ-DIRECTOR-PROC\n"
                + "ls /proc/" + director + "/root/ && echo ENTERED-DIRECTOR-ROOT\n"
                + "ls /proc/" + director + "/fd/ && echo LISTED-DIRECTOR-FD\n"
                + "touch " + karaf.resolve("planted-by-node") + " && echo WROTE-HOST\n"
                + "echo own > own-file && echo OWN-FOLDER-WRITABLE\n"
                + "setsid sleep 300 > /dev/null 2>&1 < /dev/null &\n"
                + "echo $! > straggler.pid\n";
        CloudNode second = driver.launch(request(node("node-2", probe)))
                .get(0);
        assertEquals("the agent answers and serves its own folder", "own", httpGet(second.address(), "/own-file")
                .strip());
        Path secondDir = dataDir.resolve("nodes").resolve(second.vmId());

        String log = Files.readString(secondDir.resolve("work/logs/startup.log"));
        long ownUid = ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
        assertEquals("the director's account", Long.toString(ownUid),
                Files.readString(secondDir.resolve("work/whoami")).strip());
        for (String marker : List.of("READ-ADMIN-PASSWORD", "LISTED-CONPAAS", "READ-ETC", "LISTED-ETC",
                "READ-OTHER-NODE", "LISTED-OTHER-NODE", "READ-OWN-RECORD", "READ-DIRECTOR-PROC",
                "ENTERED-DIRECTOR-ROOT", "LISTED-DIRECTOR-FD", "WROTE-HOST", "admin-password-secret", "etc-secret",
                "conpaas.node.id=node-1")) {
            assertFalse(marker + " in " + log, log.contains(marker));
        }
        assertTrue(log, log.contains("OWN-FOLDER-WRITABLE"));
        String out = Files.readString(secondDir.resolve("work/logs/agent.out"));
        assertTrue("home and temporary files in its own folder: " + out, out.contains("-Duser.home="
                + secondDir.resolve("work") + " -Djava.io.tmpdir=" + secondDir.resolve("work/tmp")));
        assertTrue(log, log.contains("No such file or directory"));
        assertTrue(log, log.contains("Read-only file system"));
        assertFalse("the rest of the host is read-only", Files.exists(karaf.resolve("planted-by-node")));

        Map<String, String> record = PropertiesFiles.read(secondDir.resolve("node.properties"));
        assertEquals("-1", record.get("uid"));
        long sandboxPid = Long.parseLong(record.get("pid"));
        assertEquals("bubblewrap leads the node's process group", sandboxPid,
                ProcessTable.stat(sandboxPid).orElseThrow().pgid());
        long agent = Long.parseLong(Files.readString(secondDir.resolve("work/child.pid")).strip()); // inside: small
        String namespace = ProcessTable.liveGroupMembers(sandboxPid).stream().map(p -> pidNamespace(p.pid()))
                .filter(ns -> !ns.isEmpty() && !ns.equals(pidNamespace(sandboxPid))).findFirst().orElseThrow();
        assertNotEquals("a PID namespace of its own", pidNamespace(director), namespace);
        Map<Long, Long> inside = processesIn(namespace);
        assertTrue(inside.toString(), inside.containsValue(1L) && inside.containsValue(agent));
        long agentHostPid = inside.entrySet().stream().filter(e -> e.getValue() == agent).findFirst().orElseThrow()
                .getKey();
        Map<String, String> status = procStatus(agentHostPid);
        assertEquals(ownUid, (long) numbers(status.get("Uid")).get(0));
        assertEquals("1", status.get("NoNewPrivs"));
        assertEquals("0000000000000000", status.get("CapEff"));
        assertEquals("0000000000000000", status.get("CapBnd"));

        long stragglerInside = Long.parseLong(Files.readString(secondDir.resolve("work/straggler.pid")).strip());
        long straggler = inside.entrySet().stream().filter(e -> e.getValue() == stragglerInside).findFirst()
                .orElseThrow().getKey();
        extraPids.add(straggler);
        assertNotEquals("it left the node's process group", sandboxPid,
                ProcessTable.stat(straggler).orElseThrow().pgid());

        driver.close(); // a director restart: the sandboxes keep running and the new driver finds them
        LocalCloudDriver restarted = new LocalCloudDriver(settings, false, sandbox);
        drivers.add(restarted);
        assertEquals(List.of(CloudNodeState.RUNNING, CloudNodeState.RUNNING),
                restarted.describe(List.of(first.vmId(), second.vmId())).stream().map(CloudNode::state).toList());
        restarted.terminate(List.of(second.vmId()));
        assertFalse("terminate kills what left the node's process group", isAlive(straggler));
        assertEquals("nothing of the sandbox is left", Map.of(), processesIn(namespace));
        assertFalse(Files.exists(secondDir));
        assertTrue("the other node is untouched", listening(first.address()));
    }

    /** Without bubblewrap no node starts unconfined: the launch fails with one sentence naming the package. */
    @Test
    public void withoutSeparateAccountsAndWithoutBubblewrapNothingIsLaunched() throws Exception {
        LocalCloudDriver driver = new LocalCloudDriver(new LocalCloudSettings("test",
                AddressRange.parse("127.77.2.1-127.77.2.9"), port, dataDir, Path.of(System.getProperty("java.home")),
                "-Xmx16m", NodeAccounts.UidRange.parse("2000000000-2000999999")), false,
                new NodeSandbox(List.of(), "bwrap-is-not-installed"));
        drivers.add(driver);
        CloudException e = cloudFails(() -> driver.launch(request(1)));
        assertEquals("the local cloud confines nodes with bubblewrap when the director does not run as root, but "
                + "bwrap is not installed; install the package bubblewrap", e.getMessage());
        assertEquals(List.of(), listOrEmpty(dataDir.resolve("nodes")));
        assertEquals(List.of(), listOrEmpty(dataDir.resolve("addresses")));
    }

    private static String pidNamespace(long pid) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "ns/pid")).toString();
        } catch (IOException e) {
            return "";
        }
    }

    /** The live processes of a PID namespace: host pid to the pid they have inside. */
    private static Map<Long, Long> processesIn(String namespace) {
        Map<Long, Long> inside = new java.util.HashMap<>();
        ProcessHandle.allProcesses().map(ProcessHandle::pid)
                .filter(pid -> namespace.equals(pidNamespace(pid)) && isAlive(pid))
                .forEach(pid -> {
                    try {
                        List<Long> nsPids = numbers(procStatus(pid).get("NSpid"));
                        inside.put(pid, nsPids.get(nsPids.size() - 1));
                    } catch (IOException | RuntimeException e) {
                        // ended meanwhile
                    }
                });
        return inside;
    }

    /**
     * A node with an account of its own cannot mount: attaching with the agent's mount name mounts the volume for it,
     * owned by its account and closed to others; detaching unmounts it and removes the mount point.
     */
    @Test
    public void asRootTheDriverMountsVolumesForTheNodesAccount() throws Exception {
        assertTrue("this test needs root, as CI runs it", NodeAccounts.directorIsRoot());
        LocalCloudDriver driver = driver();
        String vmId = driver.launch(request(1)).get(0).vmId();
        long uid = Long.parseLong(PropertiesFiles.read(dataDir.resolve("nodes").resolve(vmId)
                .resolve("node.properties")).get("uid"));
        CloudVolume volume = driver.createVolume("dep-a7-s1-data", 8);

        CloudVolume attached = driver.attachVolume(volume.id(), vmId, "data");
        assertEquals(vmId, attached.attachedTo());
        Path mountPoint = dataDir.toRealPath().resolve("nodes").resolve(vmId).resolve("media/data");
        assertTrue(isMountPoint(mountPoint));
        assertEquals("again changes nothing", attached, driver.attachVolume(volume.id(), vmId, "data"));
        assertEquals(uid, ((Number) Files.getAttribute(mountPoint, "unix:uid")).longValue());
        command("setpriv", "--reuid=" + uid, "--regid=" + uid, "--clear-groups", "sh", "-c",
                "echo kept > " + mountPoint.resolve("file"));
        assertEquals("kept", Files.readString(mountPoint.resolve("file")).strip());
        Process stranger = new ProcessBuilder("setpriv", "--reuid=" + (uid + 1), "--regid=" + (uid + 1),
                "--clear-groups", "ls", mountPoint.toString()).redirectErrorStream(true).start();
        assertTrue(stranger.waitFor(10, TimeUnit.SECONDS));
        assertNotEquals("another account cannot reach the volume", 0, stranger.exitValue());
        assertTrue(invalid(() -> driver.attachVolume(volume.id(), vmId, "../x")).getMessage().contains("../x"));

        driver.detachVolume(volume.id());
        assertFalse(isMountPoint(mountPoint));
        assertFalse("the mount point went too", Files.exists(mountPoint));
        assertEquals(List.of(), Mounts.loopDevicesOf(dataDir.resolve("volumes").resolve(volume.id() + ".img")
                .toString()));
        driver.deleteVolume(volume.id());
    }

    private static Map<String, String> procStatus(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                .filter(l -> l.contains(":"))
                .collect(Collectors.toMap(l -> l.substring(0, l.indexOf(':')), l -> l.substring(l.indexOf(':') + 1)
                        .strip(), (a, b) -> a));
    }

    private static List<Long> numbers(String fields) {
        return Stream.of(fields.strip().split("\\s+")).map(Long::parseLong).toList();
    }

    private static void assertOwnerAndMode(Path path, long uid, long gid, String mode) throws IOException {
        assertEquals(path + " owner", uid, ((Number) Files.getAttribute(path, "unix:uid",
                java.nio.file.LinkOption.NOFOLLOW_LINKS)).longValue());
        assertEquals(path + " group", gid, ((Number) Files.getAttribute(path, "unix:gid",
                java.nio.file.LinkOption.NOFOLLOW_LINKS)).longValue());
        assertEquals(path + " mode", mode, java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)));
    }

    @Test
    public void aVolumeIsASparseImageAttachedToOneNodeAtATime() throws Exception {
        LocalCloudDriver driver = driver();
        List<CloudNode> nodes = driver.launch(request(2));
        String first = nodes.get(0).vmId();
        String second = nodes.get(1).vmId();

        CloudVolume created = driver.createVolume("dep-a7-s1-data", 8);

        assertTrue(created.id(), created.id().matches("vol-[0-9a-f]{8}"));
        assertEquals(new CloudVolume(created.id(), "dep-a7-s1-data", 8, null, null), created);
        Path image = dataDir.resolve("volumes").resolve(created.id() + ".img");
        assertEquals(8L * MB, Files.size(image));
        assertNotEquals(created.id(), driver.createVolume("other", 1).id());

        CloudVolume attached = driver.attachVolume(created.id(), first);
        assertEquals(new CloudVolume(created.id(), "dep-a7-s1-data", 8, first, image.toString()), attached);
        assertTrue(Path.of(attached.device()).isAbsolute());
        assertEquals("attaching again changes nothing", attached, driver.attachVolume(created.id(), first));
        CloudException taken = cloudFails(() -> driver.attachVolume(created.id(), second));
        assertTrue(taken.getMessage(), taken.getMessage().contains("is already attached to node " + first));

        // the agent's part: format and loop-mount the image in the node's media folder, write there
        Path mountPoint = mountAsAgent(image, first, "data");
        Files.writeString(mountPoint.resolve("kept"), "until detached");

        driver.detachVolume(created.id());

        assertFalse("unmounted by force", isMountPoint(mountPoint));
        assertEquals("no loop device left", List.of(), Mounts.loopDevicesOf(image.toString()));
        assertEquals(second, driver.attachVolume(created.id(), second).attachedTo());
        driver.detachVolume(created.id());
        driver.detachVolume(created.id());

        driver.deleteVolume(created.id());
        assertFalse(Files.exists(image));
        assertFalse(Files.exists(dataDir.resolve("volumes").resolve(created.id() + ".properties")));
        driver.deleteVolume(created.id());
        driver.deleteVolume("vol-00000000");
        driver.deleteVolume("../nodes");
        driver.detachVolume("vol-00000000");
        CloudException gone = cloudFails(() -> driver.attachVolume(created.id(), first));
        assertTrue(gone.getMessage(), gone.getMessage().contains("has no volume " + created.id()));
    }

    @Test
    public void deletingAnAttachedMountedVolumeUnmountsItFirst() throws Exception {
        LocalCloudDriver driver = driver();
        String vmId = driver.launch(request(1)).get(0).vmId();
        CloudVolume volume = driver.createVolume("v", 8);
        Path image = Path.of(driver.attachVolume(volume.id(), vmId).device());
        Path mountPoint = mountAsAgent(image, vmId, "v");

        driver.deleteVolume(volume.id());

        assertFalse(isMountPoint(mountPoint));
        assertEquals(List.of(), Mounts.loopDevicesOf(image.toString()));
        assertFalse(Files.exists(image));
    }

    @Test
    public void terminateUnmountsTheNodesVolumesBeforeDeletingItsDirectory() throws Exception {
        LocalCloudDriver driver = driver();
        List<CloudNode> nodes = driver.launch(request(2));
        String vmId = nodes.get(0).vmId();
        CloudVolume volume = driver.createVolume("db", 8);
        Path image = Path.of(driver.attachVolume(volume.id(), vmId).device());
        Path mountPoint = mountAsAgent(image, vmId, "db");
        Files.writeString(mountPoint.resolve("table"), "rows");
        // a mount inside the volume (deepest first) and a process outside the node's group keeping it busy (lazy)
        Path inner = Files.createDirectories(mountPoint.resolve("cache"));
        command("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", inner.toString());
        Process holder = new ProcessBuilder("sleep", "60").directory(mountPoint.toFile()).start();
        extraPids.add(holder.pid());

        driver.terminate(List.of(vmId));

        Path nodeDir = dataDir.resolve("nodes").resolve(vmId);
        assertFalse(Files.exists(nodeDir));
        assertFalse(isMountPoint(inner));
        assertFalse(isMountPoint(mountPoint));
        holder.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        waitUntil(() -> Mounts.loopDevicesOf(image.toString()).isEmpty()); // freed once its last user is gone
        // the node went, the volume's data did not: deleting the node never walked into the mounted volume
        Path check = temp.newFolder("check").toPath();
        command("mount", "-o", "loop,ro", image.toString(), check.toString());
        try {
            assertEquals("rows", Files.readString(check.resolve("table")));
        } finally {
            command("umount", check.toString());
        }
        assertEquals("the attachment went with the node", nodes.get(1).vmId(),
                driver.attachVolume(volume.id(), nodes.get(1).vmId()).attachedTo());
    }

    @Test
    public void volumeRequestsWithBadArgumentsFail() throws Exception {
        LocalCloudDriver driver = driver();
        InvalidInputException tooSmall = invalid(() -> driver.createVolume("v", 0));
        assertEquals("sizeMb", tooSmall.parameter());
        assertTrue(tooSmall.getMessage(), tooSmall.getMessage().contains("a volume is 1 to 1048576 MB; got 0"));
        assertEquals("name", invalid(() -> driver.createVolume(" ", 5)).parameter());
        assertEquals("name", invalid(() -> driver.createVolume(null, 5)).parameter());
        assertEquals(List.of(), listOrEmpty(dataDir.resolve("volumes")));

        CloudVolume volume = driver.createVolume("v", 1);
        CloudException noNode = cloudFails(() -> driver.attachVolume(volume.id(), "local-00000000"));
        assertTrue(noNode.getMessage(), noNode.getMessage().contains("has no node local-00000000"));
        assertTrue(cloudFails(() -> driver.attachVolume(volume.id(), "../../x")).getMessage()
                .contains("has no node"));
        assertTrue(cloudFails(() -> driver.attachVolume("vol-../x", "local-00000000")).getMessage()
                .contains("has no volume vol-../x"));
    }

    /** Unmounts whatever a failed test left below its data directory and detaches its images' loop devices. */
    @After
    public void unmountEverything() throws Exception {
        extraPids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        String root = temp.getRoot().toPath().toRealPath() + "/";
        List<Mounts.Mount> mounts = Mounts.read();
        for (int i = mounts.size() - 1; i >= 0; i--) {
            if (mounts.get(i).mountPoint().toString().startsWith(root)) {
                new ProcessBuilder("umount", "-l", mounts.get(i).mountPoint().toString()).inheritIO().start()
                        .waitFor(10, TimeUnit.SECONDS);
            }
        }
        for (Path image : listOrEmpty(dataDir.resolve("volumes"))) {
            for (String loop : Mounts.loopDevicesOf(image.toString())) {
                new ProcessBuilder("losetup", "-d", loop).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** What the agent does with an attached volume: ext4 on the image, loop-mounted under the node's media/. */
    private Path mountAsAgent(Path image, String vmId, String name) throws Exception {
        // the real path, as the mount table names it (the temp folder may lie behind a symbolic link)
        Path mountPoint = Files.createDirectories(dataDir.toRealPath().resolve("nodes").resolve(vmId)
                .resolve("media").resolve(name));
        command("mkfs.ext4", "-q", "-m0", "-F", image.toString());
        command("mount", "-o", "loop", image.toString(), mountPoint.toString());
        assertTrue(isMountPoint(mountPoint));
        return mountPoint;
    }

    private static boolean isMountPoint(Path realPath) throws Exception {
        return Mounts.read().stream().anyMatch(m -> m.mountPoint().equals(realPath));
    }

    private static void command(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(String.join(" ", command) + " did not finish", process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(String.join(" ", command) + ": " + output, 0, process.exitValue());
    }

    private interface VolumeCall {
        void run() throws Exception;
    }

    private static CloudException cloudFails(VolumeCall call) throws Exception {
        try {
            call.run();
        } catch (CloudException e) {
            return e;
        }
        throw new AssertionError("expected a CloudException");
    }

    private static InvalidInputException invalid(VolumeCall call) throws Exception {
        try {
            call.run();
        } catch (InvalidInputException e) {
            return e;
        }
        throw new AssertionError("expected an InvalidInputException");
    }

    private static List<Path> listOrEmpty(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }

    private static boolean isAlive(long pid) {
        return ProcessTable.stat(pid).map(ProcessTable.ProcessStat::alive).orElse(false);
    }

    private boolean listening(String address) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** GETs a path from a node's listener, retrying for up to 15 s while it starts. */
    private String httpGet(String address, String path) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        IOException last = null;
        while (System.nanoTime() < deadline) {
            try {
                HttpURLConnection connection = (HttpURLConnection) new URL("http://" + address + ":" + port + path)
                        .openConnection();
                connection.setConnectTimeout(1000);
                connection.setReadTimeout(3000);
                try (InputStream in = connection.getInputStream()) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            } catch (IOException e) {
                last = e;
                Thread.sleep(100);
            }
        }
        throw new AssertionError("nothing answered on " + address + ":" + port + path, last);
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
            Thread.sleep(50);
        }
    }
}
