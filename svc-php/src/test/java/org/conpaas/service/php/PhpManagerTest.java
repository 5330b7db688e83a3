package org.conpaas.service.php;

import static org.conpaas.service.testing.FakeServiceContext.node;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.conpaas.api.InvalidInputException;
import org.conpaas.api.service.ServiceNode;
import org.conpaas.service.testing.FakeServiceContext;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The PHP manager against a fake director: which agent operations it calls, in which order, with what. */
public class PhpManagerTest {

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private final FakeServiceContext context = new FakeServiceContext();
    private PhpManager manager;
    private final ServiceNode first = node("node-1", "proxy");

    @Before
    public void setUp() throws IOException {
        context.addVersion("code-default", zip("index.html"));
        context.answers = (node, call) -> call.operation().equals("start_proxy") ? Map.of("port", 80) : Map.of();
        manager = new PhpManager(context, 0);
    }

    private Path zip(String... names) throws IOException {
        Path zip = temp.newFile().toPath();
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
            for (String name : names) {
                z.putNextEntry(new ZipEntry(name));
                z.write("x".getBytes());
                z.closeEntry();
            }
        }
        return zip;
    }

    private void start() {
        context.nodes.add(first);
        manager.onStart(List.of(first));
        context.calls.clear();
    }

    private void add(ServiceNode... nodes) {
        Map<String, Integer> counts = new java.util.HashMap<>();
        for (ServiceNode n : nodes) {
            counts.merge(n.role(), 1, Integer::sum);
        }
        manager.checkAddNodes(counts);
        context.nodes.addAll(List.of(nodes));
        manager.onAddNodes(List.of(nodes));
    }

    private void remove(ServiceNode... nodes) {
        Map<String, Integer> counts = new java.util.HashMap<>();
        for (ServiceNode n : nodes) {
            counts.merge(n.role(), 1, Integer::sum);
        }
        manager.checkRemoveNodes(counts);
        manager.onRemoveNodes(List.of(nodes));
        context.nodes.removeAll(List.of(nodes));
    }

    @SuppressWarnings("unchecked")
    private List<String> upstreamIps(String nodeId, String list) {
        Map<String, Object> params = context.lastCall(nodeId, "start_proxy").orElseThrow().params();
        return ((List<Map<String, Object>>) params.get(list)).stream().map(u -> (String) u.get("ip")).toList();
    }

    @Test
    public void startPacksTheThreeRolesOnOneNodeAndPublishesItsUrl() throws Exception {
        context.nodes.add(first);
        manager.onStart(List.of(first));
        assertEquals(List.of("node-1:start_session_store", "node-1:start_backend",
                "node-1:start_web", "node-1:start_proxy"), context.callSequence());
        assertEquals("http://127.1.0.1:80/", context.url());
        assertEquals(List.of("127.1.0.1"), upstreamIps("node-1", "web"));
        assertEquals(List.of("127.1.0.1"), upstreamIps("node-1", "backends"));
        Map<String, Object> backend = context.lastCall("node-1", "start_backend").orElseThrow().params();
        assertEquals(List.of(Map.of("ip", "127.1.0.1", "port", 11211)), backend.get("sessions"));
        assertEquals(List.of("127.1.0.1"), backend.get("proxies"));
        assertEquals(PhpConfiguration.defaults(), backend.get("phpconf"));
        assertEquals(Map.of("proxy", List.of("node-1"), "web", List.of("node-1"), "backend", List.of("node-1")),
                manager.invoke("list_nodes", Map.of(), Map.of()));
    }

    @Test
    public void theFirstBackendAddedMovesTheBackendOffThePackedNode() throws Exception {
        start();
        add(node("node-2", "backend"));
        assertEquals(List.of("node-2:start_backend", "node-1:start_proxy",
                "node-1:stop_backend"), context.callSequence());
        assertEquals(List.of("127.1.0.2"), upstreamIps("node-1", "backends"));
        assertEquals(List.of("127.1.0.1"), upstreamIps("node-1", "web"));

        context.calls.clear();
        add(node("node-3", "backend"));
        assertEquals(List.of("node-3:start_backend", "node-1:start_proxy"),
                context.callSequence());
        assertEquals(List.of("127.1.0.2", "127.1.0.3"), upstreamIps("node-1", "backends"));
        assertEquals(Map.of("proxy", List.of("node-1"), "web", List.of("node-1"),
                "backend", List.of("node-2", "node-3")), manager.invoke("list_nodes", Map.of(), Map.of()));
    }

    @Test
    public void removingTheLastBackendPacksItOntoTheFirstProxyBeforeTheNodeStops() {
        start();
        ServiceNode backend = node("node-2", "backend");
        add(backend);
        context.calls.clear();
        remove(backend);
        assertEquals(List.of("node-1:start_backend", "node-1:start_proxy", "node-2:stop_backend"),
                context.callSequence());
        assertEquals(List.of("127.1.0.1"), upstreamIps("node-1", "backends"));
    }

    @Test
    public void aSecondProxyNeedsStandAloneWebAndBackendNodes() {
        start();
        refusedToAdd(Map.of("proxy", 1), "Cannot add more proxy servers without at least one stand-alone 'web' node "
                + "and one stand-alone 'backend' node");
        refusedToAdd(Map.of("proxy", 1, "web", 1), "Cannot add more proxy servers without at least one "
                + "stand-alone 'web' node and one stand-alone 'backend' node");
        manager.checkAddNodes(Map.of("proxy", 1, "web", 1, "backend", 1));
        add(node("node-2", "web"), node("node-3", "backend"));
        context.calls.clear();
        add(node("node-4", "proxy"));
        assertEquals("the kept backend admits the new proxy before it sends requests",
                List.of("node-3:start_backend", "node-1:start_proxy", "node-4:start_proxy"),
                context.callSequence());
        assertEquals(List.of("127.1.0.1", "127.1.0.4"),
                context.lastCall("node-3", "start_backend").orElseThrow().params().get("proxies"));
        assertEquals("the first proxy stays the entry point", "http://127.1.0.1:80/", context.url());
    }

    @Test
    public void removalsKeepOneProxyAndStandAloneNodesWhileSeveralProxiesRemain() {
        start();
        ServiceNode web = node("node-2", "web");
        ServiceNode backend = node("node-3", "backend");
        ServiceNode proxy2 = node("node-4", "proxy");
        add(web, backend);
        add(proxy2);
        refusedToRemove(Map.of("proxy", 2), "Not enough 'proxy' nodes will be left");
        refusedToRemove(Map.of("web", 1), "Not enough 'web' nodes will be left");
        refusedToRemove(Map.of("backend", 1), "Not enough 'backend' nodes will be left");

        context.calls.clear();
        remove(proxy2);
        assertEquals("the proxy stops before the backends stop admitting it",
                List.of("node-1:start_proxy", "node-4:stop_proxy", "node-3:start_backend"), context.callSequence());
        assertEquals(List.of("127.1.0.1"), context.lastCall("node-3", "start_backend").orElseThrow().params()
                .get("proxies"));
        context.calls.clear();
        remove(web); // one proxy left: the web role goes back onto it
        assertEquals(List.of("node-1:start_web", "node-1:start_proxy", "node-2:stop_web"), context.callSequence());
    }

    private void refusedToAdd(Map<String, Integer> counts, String message) {
        try {
            manager.checkAddNodes(counts);
            fail("adding " + counts + " was accepted");
        } catch (InvalidInputException expected) {
            assertEquals(message, expected.getMessage());
        }
    }

    private void refusedToRemove(Map<String, Integer> counts, String message) {
        int before = context.calls.size();
        try {
            manager.checkRemoveNodes(counts);
            fail("removing " + counts + " was accepted");
        } catch (InvalidInputException expected) {
            assertEquals(message, expected.getMessage());
        }
        assertEquals("a refused removal calls no agent", before, context.calls.size());
    }

    @Test
    public void phpSettingsAreValidatedCompletelyBeforeAnythingChanges() throws Exception {
        start();
        add(node("node-2", "backend"));
        context.calls.clear();
        Map<?, ?> configuration = (Map<?, ?>) manager.invoke("get_configuration", Map.of(), Map.of());
        assertEquals("code-default", configuration.get("codeVersionId"));
        assertEquals(PhpConfiguration.defaults(), configuration.get("phpconf"));

        for (Map<String, Object> bad : List.<Map<String, Object>>of(
                Map.of("display_errors", "On", "colour", "blue"),
                Map.of("display_errors", "Maybe"),
                Map.of("memory_limit", "128M\nauto_prepend_file=/etc/passwd"),
                Map.of("max_execution_time", "30s"),
                Map.of())) {
            try {
                manager.invoke("update_php_configuration", Map.of("phpconf", bad), Map.of());
                fail("accepted " + bad);
            } catch (InvalidInputException expected) {
                assertEquals("phpconf", expected.parameter());
            }
        }
        assertEquals("nothing was stored or sent", List.of(), context.calls);
        assertEquals(PhpConfiguration.defaults(), manager.phpconf());

        Object updated = manager.invoke("update_php_configuration",
                Map.of("phpconf", Map.of("display_errors", "On", "post_max_size", "16M")), Map.of());
        assertEquals("On", ((Map<?, ?>) updated).get("display_errors"));
        assertEquals(List.of("node-2:start_backend", "node-1:start_proxy"), context.callSequence());
        assertEquals("On", ((Map<?, ?>) context.lastCall("node-2", "start_backend").orElseThrow().params()
                .get("phpconf")).get("display_errors"));
        assertEquals("16M", context.lastCall("node-1", "start_proxy").orElseThrow().params().get("maxBodySize"));
    }

    @Test
    public void aWarIsRefusedAndATarOrZipOfPhpFilesIsTaken() throws Exception {
        start();
        context.addVersion("code-war", zip("WEB-INF/web.xml", "index.jsp"));
        try {
            manager.checkActivateCode("code-war");
            fail("a WAR was accepted");
        } catch (InvalidInputException expected) {
            assertEquals("code version code-war is a Java web archive (WAR); the PHP service takes tar or zip "
                    + "archives of PHP files", expected.getMessage());
        }
        context.addVersion("code-php", zip("index.php", "lib/a.php"));
        manager.checkActivateCode("code-php");
        context.activate("code-php");
        context.calls.clear();
        manager.onCodeActivated("code-php");
        assertEquals("the core switches the nodes; the backends react on their own", List.of(),
                context.callSequence());
    }

    @Test
    public void nodeWeightsReachTheProxies() throws Exception {
        start();
        add(node("node-2", "backend"), node("node-3", "backend"));
        context.calls.clear();
        Object weights = manager.invoke("update_nodes_weight", Map.of("backend", Map.of("node-3", 300),
                "web", Map.of("node-1", 50)), Map.of());
        assertEquals(Map.of("web", Map.of("node-1", 50), "backend", Map.of("node-2", 100, "node-3", 300)), weights);
        assertEquals(List.of("node-1:start_proxy"), context.callSequence());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> backends = (List<Map<String, Object>>) context.lastCall("node-1", "start_proxy")
                .orElseThrow().params().get("backends");
        assertEquals(List.of(100, 300), backends.stream().map(b -> b.get("weight")).toList());

        for (Map<String, Object> bad : List.<Map<String, Object>>of(Map.of("backend", Map.of("node-1", 10)),
                Map.of("backend", Map.of("node-2", 0)), Map.of("web", Map.of("node-1", 2.5)), Map.of())) {
            try {
                manager.invoke("update_nodes_weight", bad, Map.of());
                fail("accepted " + bad);
            } catch (InvalidInputException expected) {
                assertTrue(expected.getMessage(), !expected.getMessage().isBlank());
            }
        }
    }

    @Test
    public void aStoppedServiceForgetsItsNodes() {
        start();
        manager.onStop();
        assertTrue(context.all().toString(), context.all().isEmpty());
    }
}
