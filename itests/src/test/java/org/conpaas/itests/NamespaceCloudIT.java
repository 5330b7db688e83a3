package org.conpaas.itests;

import static org.conpaas.itests.DirectorTestSupport.eventually;
import static org.conpaas.itests.DirectorTestSupport.helloLines;
import static org.conpaas.itests.DirectorTestSupport.json;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.inject.Inject;
import org.conpaas.api.director.Director;
import org.conpaas.itests.DirectorTestSupport.Api;
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
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The helloworld service on a second local cloud, {@code ns}, in the namespace mode (CI runs as root; without root the
 * cloud is unavailable and the test fails): three nodes, each an agent in a network namespace of its own with an
 * address on the test's own bridge, booted through the director's real user data (starting the agent installed once
 * in the cloud's host share), {@code get_helloworld} from all three, a node removed with its namespace, the service stopped
 * with every namespace gone; then the PHP scenario on that cloud; and the bridge gone when the cloud's driver stops.
 * One container boot.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class NamespaceCloudIT {

    private static final Duration SETTLE = Duration.ofSeconds(120);
    private static final String BRIDGE_PROPERTY = NamespaceItCloud.BRIDGE_PROPERTY;
    private static final String SUBNET_PROPERTY = NamespaceItCloud.SUBNET_PROPERTY;
    private static final Path NETNS = Path.of("/run/netns");

    @Rule
    public TestWatcher keepLog = DirectorTestSupport.keepLogOnFailure();

    @Inject
    private ConfigurationAdmin configurations;

    @Inject
    @Filter(timeout = 120_000)
    private Director director;

    @Configuration
    public Option[] config() {
        return OptionUtils.combine(DirectorTestSupport.distribution("ns"), NamespaceItCloud.options("cpsit"));
    }

    @Test
    public void helloworldOnThreeNamespacedNodesLeavesNoNamespaceNorBridge() throws Exception {
        String bridge = System.getProperty(BRIDGE_PROPERTY);
        String net = System.getProperty(SUBNET_PROPERTY);
        Api api = DirectorTestSupport.containerApi();
        eventually("cloud ns listed and available", SETTLE, () -> {
            for (JsonNode c : api.get("/clouds").ok()) {
                if ("ns".equals(c.path("name").asText())) {
                    assertTrue("available: " + c, c.path("available").asBoolean(true));
                    return true;
                }
            }
            return false;
        });
        assertTrue("bridge " + bridge + " made", Files.exists(Path.of("/sys/class/net", bridge)));
        long appId = api.post("/applications", json("name", "hello-ns")).ok().path("id").asLong();
        String a = "/applications/" + appId;
        try {
            api.post(a + "/start", json()).ok();
            eventually("application RUNNING", SETTLE, () -> "RUNNING".equals(api.get(a).ok().path("state").asText()));
            JsonNode svc = api.post(a + "/services", json("type", "helloworld", "name", "hw")).ok();
            String s = a + "/services/" + svc.path("id").asInt();
            api.post(s + "/start", json("cloud", "ns")).ok();
            Map<Path, String> agentOutput = new java.util.HashMap<>();
            String state = "";
            for (long end = System.nanoTime() + SETTLE.toNanos(); System.nanoTime() < end; Thread.sleep(200)) {
                agentOutput.putAll(agentOutputs());
                state = api.get(s).ok().path("state").asText();
                if (state.equals("RUNNING") || state.equals("ERROR")) {
                    break;
                }
            }
            // A node that ends while booting is released with its folder: what it printed is kept here.
            assertEquals("the nodes printed: " + agentOutput, "RUNNING", state);
            JsonNode grown = api.post(s + "/nodes?wait=120", json("roles", Map.of("node", 2), "cloud", "ns")).ok();
            assertEquals(grown.toString(), 3, grown.path("nodes").path("node").asInt());

            JsonNode nodes = api.get(s + "/nodes").ok();
            Set<String> addresses = new HashSet<>();
            for (JsonNode n : nodes) {
                assertEquals(n.toString(), "RUNNING", n.path("status").asText());
                assertEquals(n.toString(), "ns", n.path("cloud").asText());
                assertTrue("an address on the bridge: " + n, n.path("address").asText().startsWith(net));
                addresses.add(n.path("address").asText());
            }
            assertEquals("distinct addresses: " + nodes, 3, addresses.size());
            assertEquals(3, namespaces(bridge).size());

            List<String> lines = helloLines(api.post(s + "/operations/get_helloworld", json()).ok());
            assertEquals("lines: " + lines, 3, lines.size());

            api.post(s + "/nodes/remove?wait=120", json("roles", Map.of("node", 1))).ok();
            eventually("two namespaces left", SETTLE, () -> namespaces(bridge).size() == 2);
            assertEquals(2, helloLines(api.post(s + "/operations/get_helloworld", json()).ok()).size());

            api.post(s + "/stop?wait=120", json()).ok();
            eventually("no namespace left", SETTLE, () -> namespaces(bridge).isEmpty());
        } finally {
            api.post(a + "/stop?wait=120", json());
            api.delete(a);
        }
        // The PHP service works the same on namespaced nodes: the test reaches them on the bridge.
        PhpScenarios.servedAndScaled(director, new NodeView.Local() {
            @Override
            public String cloud() {
                return "ns";
            }
        });
        eventually("no namespace left after the PHP service", SETTLE, () -> namespaces(bridge).isEmpty());

        // The driver stops (its configuration deleted, as when the director stops): the bridge goes too.
        for (org.osgi.service.cm.Configuration c : configurations.listConfigurations(
                "(&(service.factoryPid=org.conpaas.cloud.local)(name=ns))")) {
            c.delete();
        }
        eventually("bridge " + bridge + " removed", SETTLE, () -> !Files.exists(Path.of("/sys/class/net", bridge)));
        assertFalse(namespaces(bridge).size() > 0);
    }

    private static Map<Path, String> agentOutputs() throws IOException {
        Path nodes = DirectorTestSupport.karafBase().resolve("data/cloud-local/ns/nodes");
        Map<Path, String> outputs = new java.util.HashMap<>();
        if (Files.isDirectory(nodes)) {
            try (Stream<Path> dirs = Files.list(nodes)) {
                for (Path dir : dirs.toList()) {
                    Path out = dir.resolve("work/logs/agent.out");
                    try {
                        outputs.put(dir.getFileName(), Files.readString(out));
                    } catch (IOException e) {
                        // not written yet, or already released
                    }
                }
            }
        }
        return outputs;
    }

    private static Set<String> namespaces(String bridge) throws IOException {
        if (!Files.isDirectory(NETNS)) {
            return Set.of();
        }
        try (Stream<Path> names = Files.list(NETNS)) {
            return names.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(bridge + "-"))
                    .collect(Collectors.toSet());
        }
    }
}
