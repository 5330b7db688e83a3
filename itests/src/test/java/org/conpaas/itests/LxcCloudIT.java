package org.conpaas.itests;

import static org.conpaas.itests.DirectorTestSupport.eventually;
import static org.conpaas.itests.DirectorTestSupport.helloLines;
import static org.conpaas.itests.DirectorTestSupport.json;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.inject.Inject;
import org.conpaas.api.cloud.CloudDriver;
import org.conpaas.api.director.Director;
import org.conpaas.itests.DirectorTestSupport.Api;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TestWatcher;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.exam.util.Filter;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The service types on the LXC cloud (one boot of the real distribution, as root with lxc installed, as CI runs it):
 * each node is a container on the test bridge whose init ran the director's real boot script, which starts the agent
 * installed once in the cloud's host share (read-only inside) and runs it there. After each service stops, no container, agent or mount is left. The
 * Generic scenarios are {@link GenericIT}'s, with the LXC cloud as their parameter.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LxcCloudIT {

    private static final Duration SETTLE = Duration.ofSeconds(90);

    @Rule
    public TestWatcher keepLog = DirectorTestSupport.keepLogOnFailure();

    @Inject
    private BundleContext context;

    @Inject
    @Filter(timeout = 120_000)
    private Director director;

    @Inject
    private ConfigurationAdmin configurations;

    @Before
    public void awaitDirectorReady() throws Exception {
        DirectorTestSupport.awaitReady(director);
    }

    @Configuration
    public Option[] config() throws Exception {
        return OptionUtils.combine(JavaScenarios.wars(LxcItCloud.with(DirectorTestSupport.distribution("lxc"))),
                XtreemfsScenarios.smallOsdVolumes());
    }

    @AfterClass
    public static void leaveNothing() throws Exception {
        LxcItCloud.destroyEverything(LxcItCloud.data());
        LxcItCloud.destroyEverything(LxcItCloud.debianData(), LxcItCloud.DEBIAN_BRIDGE);
    }

    @Test
    public void helloworldOnThreeContainersAndNothingLeftAfterStop() throws Exception {
        Api api = DirectorTestSupport.containerApi();
        eventually("cloud lxc listed and available", SETTLE, () -> {
            for (JsonNode c : api.get("/clouds").ok()) {
                if (LxcItCloud.NAME.equals(c.path("name").asText())) {
                    return "lxc".equals(c.path("type").asText()) && c.path("available").asBoolean();
                }
            }
            return false;
        });
        long appId = api.post("/applications", json("name", "hello-lxc")).ok().path("id").asLong();
        String a = "/applications/" + appId;
        try {
            api.post(a + "/start", json()).ok();
            eventually("application RUNNING", SETTLE, () -> "RUNNING".equals(api.get(a).ok().path("state").asText()));
            String s = a + "/services/" + api.post(a + "/services", json("type", "helloworld", "name", "hw")).ok()
                    .path("id").asInt();
            JsonNode started = api.post(s + "/start?wait=90", json("cloud", LxcItCloud.NAME)).ok();
            assertEquals(started.toString(), "RUNNING", started.path("state").asText());
            String firstId = api.get(s + "/nodes").ok().get(0).path("id").asText();
            // sized per request: the two new containers get 384 MB and 512 shares, the first keeps the configured
            JsonNode grown = api.post(s + "/nodes?wait=90", json("roles", Map.of("node", 2), "cloud",
                    LxcItCloud.NAME, "memoryMb", 384, "cpuShares", 512)).ok();
            assertEquals(grown.toString(), 3, grown.path("nodes").path("node").asInt());

            JsonNode nodes = api.get(s + "/nodes").ok();
            assertEquals("nodes: " + nodes, 3, nodes.size());
            Set<String> nodeIds = new HashSet<>();
            Set<String> addresses = new HashSet<>();
            Set<Long> agentUids = new HashSet<>();
            for (JsonNode n : nodes) {
                assertEquals(n.toString(), LxcItCloud.NAME, n.path("cloud").asText());
                assertEquals(n.toString(), "RUNNING", n.path("status").asText());
                String address = n.path("address").asText();
                assertTrue("an address on the bridge: " + n, address.startsWith("198.18.0.2"));
                String vmId = n.path("vmId").asText();
                assertEquals("one agent inside container " + vmId, 1, LxcItCloud.agentsIn(vmId).size());
                // root in the container (the agent, and the scripts it runs) is an unprivileged uid on this host
                long agentUid = LxcItCloud.hostUid(LxcItCloud.agentsIn(vmId).get(0));
                assertTrue("the agent of " + vmId + " runs as host uid " + agentUid + ", in the cloud's id ranges",
                        agentUid >= LxcItCloud.IDMAP_BASE);
                agentUids.add(agentUid);
                // it runs the agent installed once in the host share (read-only inside), not a copy of its own: the
                // launcher runs the JVM in its installation (the class path is relative to it)
                java.nio.file.Path cwd = Files.readSymbolicLink(java.nio.file.Paths.get("/proc/"
                        + LxcItCloud.agentsIn(vmId).get(0).pid() + "/cwd"));
                assertTrue("the shared agent runs in " + cwd, cwd.toString()
                        .contains(LxcItCloud.data().resolve("host-share") + "/agent-"));
                int memoryMb = n.path("id").asText().equals(firstId) ? LxcItCloud.MEMORY_MB : 384;
                assertTrue("the node's info shows its container's limits: " + n, n.path("machine").asText()
                        .startsWith("container " + vmId + ", memory " + memoryMb + " MB, cpu shares "
                                + (memoryMb == LxcItCloud.MEMORY_MB ? "" : "512")));
                assertEquals("the kernel holds container " + vmId + " to it", memoryMb * 1024L * 1024,
                        LxcItCloud.memoryLimit(vmId));
                nodeIds.add(n.path("id").asText());
                addresses.add(address);
            }
            assertEquals(3, addresses.size());
            assertEquals("each node's root is an account of its own: " + agentUids, 3, agentUids.size());
            assertEquals(3, LxcItCloud.nodeContainers().size());

            List<String> lines = helloLines(api.post(s + "/operations/get_helloworld", json()).ok());
            assertEquals("lines: " + lines, 3, lines.size());
            assertEquals(nodeIds, lines.stream().map(l -> l.replaceAll(".*from (\\S+).*", "$1"))
                    .collect(Collectors.toSet()));

            // the director makes that installation's class-data-sharing archive once, in the background
            eventually("the shared agent's class-data-sharing archive", Duration.ofSeconds(60), () -> {
                try (var installations = Files.list(LxcItCloud.data().resolve("host-share"))) {
                    return installations.anyMatch(i -> Files.isRegularFile(i.resolve("conpaas-agent/lib/agent.jsa")));
                }
            });
            JsonNode stopped = api.post(s + "/stop?wait=90", json()).ok();
            assertEquals("STOPPED", stopped.path("state").asText());
            assertNothingLeft();
        } finally {
            api.post(a + "/stop?wait=90", json());
            api.delete(a);
        }
    }

    @Test
    public void genericScriptsRunThroughTheLifeCycleInContainers() throws Exception {
        awaitGenericType();
        GenericScenarios.lifecycle(director, LxcItCloud.NODES);
        assertNothingLeft();
    }

    @Test
    public void genericVolumesAreMountedIntoTheRunningContainers() throws Exception {
        awaitGenericType();
        GenericScenarios.volumes(director, LxcItCloud.NODES);
        assertNothingLeft();
    }

    /** MooseFS's daemons started by an agent that is root in its container (an unprivileged uid on this host). */
    @Test
    public void xtreemfsVolumeSurvivesScalingAndOsdRemovalInContainers() throws Exception {
        new XtreemfsScenarios(DirectorTestSupport.containerApi(), director, LxcItCloud.NAME, "198.18.0.2", true)
                .volumeSurvivesScalingAndOsdRemoval();
        assertNothingLeft();
    }

    @Test
    public void phpServedThroughTheProxyAndScaledAcrossContainers() throws Exception {
        eventually("the php type is installed", SETTLE,
                () -> director.serviceTypes().stream().anyMatch(t -> t.name().equals("php")));
        PhpScenarios.servedAndScaled(director, LxcItCloud.NODES);
        assertNothingLeft();
    }

    @Test
    public void aWarServedThroughTheProxyAndScaledAcrossContainers() throws Exception {
        JavaScenarios.warServedAndScaled(director, LxcItCloud.NODES);
        assertNothingLeft();
    }

    /**
     * A second LXC cloud configured while the director runs, with base = debian: its base is a debootstrapped Debian
     * (from deb.debian.org, as CI reaches it) with a package installed into it, its node a copy of it running the
     * agent on the host's JDK, bound read-only, and nothing of the host's /usr. Its bridge gets no relay: the node starts the agent of the cloud's
     * host share and downloads nothing.
     */
    @Test
    public void helloworldOnADebianBaseInItsOwnCloud() throws Exception {
        Path data = LxcItCloud.debianData();
        String cloud = LxcItCloud.DEBIAN_NAME;
        org.osgi.service.cm.Configuration config = configurations.getFactoryConfiguration("org.conpaas.cloud.lxc",
                "itdebian", "?");
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("name", cloud);
        properties.put("bridge", LxcItCloud.DEBIAN_BRIDGE);
        properties.put("bridgeAddress", "198.18.0.65/26");
        properties.put("addressRange", "198.18.0.70-198.18.0.90");
        properties.put("idmapBase", LxcItCloud.DEBIAN_IDMAP_BASE);
        properties.put("dataDir", data.toString());
        properties.put("directorRelay", "");
        properties.put("base", "debian");
        // one small package: apt-get in the base's chroot, as PHP nodes would get nginx and php-fpm
        properties.put("debianPackages", "curl");
        config.update(properties);
        Api api = DirectorTestSupport.containerApi();
        long appId = -1;
        try {
            eventually("cloud " + cloud + " listed and available", SETTLE, () -> {
                for (JsonNode c : api.get("/clouds").ok()) {
                    if (cloud.equals(c.path("name").asText())) {
                        return c.path("available").asBoolean();
                    }
                }
                return false;
            });
            overlappingIdsAreRefused(api, cloud);
            appId = api.post("/applications", json("name", "hello-debian")).ok().path("id").asLong();
            String a = "/applications/" + appId;
            api.post(a + "/start", json()).ok();
            eventually("application RUNNING", SETTLE, () -> "RUNNING".equals(api.get(a).ok().path("state").asText()));
            String s = a + "/services/" + api.post(a + "/services", json("type", "helloworld", "name", "hw")).ok()
                    .path("id").asInt();
            long started = System.nanoTime();
            // debootstrap of the base takes most of it: about a minute
            JsonNode running = api.post(s + "/start?wait=600", json("cloud", cloud)).ok();
            assertEquals(running.toString(), "RUNNING", running.path("state").asText());
            System.out.println("helloworld on the Debian base RUNNING after "
                    + (System.nanoTime() - started) / 1_000_000_000 + " s");
            JsonNode nodes = api.get(s + "/nodes").ok();
            assertEquals("nodes: " + nodes, 1, nodes.size());
            String vmId = nodes.get(0).path("vmId").asText();
            assertTrue(nodes.toString(), vmId.startsWith("cps-" + cloud + "-"));
            assertTrue(nodes.toString(), nodes.get(0).path("address").asText().startsWith("198.18.0."));
            List<String> lines = helloLines(api.post(s + "/operations/get_helloworld", json()).ok());
            assertEquals("lines: " + lines, 1, lines.size());

            Path rootfs = data.resolve("containers").resolve(vmId).resolve("rootfs");
            assertTrue("a Debian root file system", Files.isRegularFile(rootfs.resolve("etc/debian_version")));
            assertTrue("Debian's own programs", Files.isRegularFile(rootfs.resolve("usr/bin/apt-get")));
            assertTrue("the package installed into the base", Files.isRegularFile(rootfs.resolve("usr/bin/curl")));
            assertTrue("no service started by its installation, or in a node",
                    Files.readString(rootfs.resolve("usr/sbin/policy-rc.d")).contains("exit 101"));
            List<ProcessHandle> agents = LxcItCloud.agentsIn(vmId);
            assertEquals("one agent in " + vmId, 1, agents.size());
            assertTrue("root in the container is the cloud's own range",
                    LxcItCloud.hostUid(agents.get(0)) >= LxcItCloud.DEBIAN_IDMAP_BASE);
            // what the agent sees: the host's JDK bound read-only at its own path, and neither /usr nor /lib
            String java = System.getProperty("java.home");
            Map<String, String> mounts = new HashMap<>();
            for (String line : Files.readAllLines(Paths.get("/proc", Long.toString(agents.get(0).pid()),
                    "mountinfo"))) {
                String[] fields = line.split(" ");
                mounts.put(fields[4], fields[5]);
            }
            assertTrue("the JDK is bound read-only: " + mounts, mounts.getOrDefault(java, "").startsWith("ro"));
            assertTrue("the container's own /usr: " + mounts.keySet(), !mounts.containsKey("/usr")
                    && !mounts.containsKey("/lib") && !mounts.containsKey("/usr/lib"));
            String command = String.join(" ", Files.readAllLines(Paths.get("/proc",
                    Long.toString(agents.get(0).pid()), "cmdline"))).replace('\0', ' ');
            assertTrue("the agent runs on that JDK: " + command, command.startsWith(java + "/bin/java "));

            JsonNode stopped = api.post(s + "/stop?wait=90", json()).ok();
            assertEquals("STOPPED", stopped.path("state").asText());
            eventually("no container left", Duration.ofSeconds(60),
                    () -> LxcItCloud.nodeContainers(data, cloud).isEmpty());
            assertTrue("its folder is gone too", !Files.exists(data.resolve("nodes").resolve(vmId)));
        } finally {
            if (appId >= 0) {
                api.post("/applications/" + appId + "/stop?wait=90", json());
                api.delete("/applications/" + appId);
            }
            config.delete();
        }
    }

    /**
     * A third LXC cloud whose id ranges would overlap {@code other}'s: its containers could share uids with the other
     * cloud's, so it stays unavailable and says why; nothing of it is set up.
     */
    private void overlappingIdsAreRefused(Api api, String other) throws Exception {
        org.osgi.service.cm.Configuration config = configurations.getFactoryConfiguration("org.conpaas.cloud.lxc",
                "itoverlap", "?");
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("name", "itoverlap");
        properties.put("bridge", "cpsito0");
        properties.put("bridgeAddress", "198.18.0.193/26");
        properties.put("addressRange", "198.18.0.200-198.18.0.201");
        properties.put("idmapBase", LxcItCloud.DEBIAN_IDMAP_BASE + 65536);
        properties.put("dataDir", LxcItCloud.debianData().resolveSibling("itoverlap").toString());
        properties.put("directorRelay", "");
        config.update(properties);
        try {
            String[] reason = {""};
            eventually("cloud itoverlap listed as unavailable", SETTLE, () -> {
                for (JsonNode c : api.get("/clouds").ok()) {
                    if ("itoverlap".equals(c.path("name").asText())) {
                        reason[0] = c.path("reason").asText();
                        return !c.path("available").asBoolean();
                    }
                }
                return false;
            });
            assertTrue(reason[0], reason[0].contains("overlap those of the LXC cloud " + other + " ("));
            assertTrue("no bridge made", !Files.exists(Paths.get("/sys/class/net/cpsito0")));
        } finally {
            config.delete();
        }
    }

    private void awaitGenericType() throws Exception {
        eventually("the generic type is installed", SETTLE,
                () -> director.serviceTypes().stream().anyMatch(t -> t.name().equals("generic")));
    }

    /** No node container, node folder, volume image, agent, listed machine or mount of the cloud is left. */
    private void assertNothingLeft() throws Exception {
        eventually("no container left", Duration.ofSeconds(60), () -> LxcItCloud.nodeContainers().isEmpty());
        eventually("no node folder or volume left", Duration.ofSeconds(30),
                () -> entries("nodes").isEmpty() && entries("volumes").isEmpty());
        assertEquals(List.of(), cloud().list());
        String mounts = Files.readString(java.nio.file.Paths.get("/proc/self/mountinfo"));
        assertTrue(mounts, !mounts.contains(LxcItCloud.data().resolve("nodes").toString()));
    }

    private static List<String> entries(String folder) throws Exception {
        java.nio.file.Path dir = LxcItCloud.data().resolve(folder);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).toList();
        }
    }

    private CloudDriver cloud() throws Exception {
        ServiceReference<CloudDriver> ref = context.getServiceReferences(CloudDriver.class,
                "(" + CloudDriver.NAME_PROPERTY + "=" + LxcItCloud.NAME + ")").iterator().next();
        return context.getService(ref);
    }
}
