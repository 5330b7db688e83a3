package org.conpaas.service.web;

import static org.conpaas.service.testing.FakeServiceContext.node;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.conpaas.api.AgentException;
import org.conpaas.api.service.ServiceNode;
import org.conpaas.service.testing.FakeServiceContext;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A node of a web service fails: the manager never calls it, the proxies stop routing to it, a role it ran moves
 * back onto the first proxy, and the URL follows the first live proxy (or is cleared when none is left).
 */
public class WebManagerNodeFailureTest {

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private final FakeServiceContext context = new FakeServiceContext();
    private final WebManager manager = new PlainWebManager(context);

    private static final class PlainWebManager extends WebManager {
        PlainWebManager(FakeServiceContext context) {
            super(context, 0);
        }

        @Override
        protected void checkCode(String version, Path archive) {
        }

        @Override
        protected Map<String, Object> backendParams(Topology topology, List<String> proxies) {
            return Map.of("proxies", proxies);
        }
    }

    @Before
    public void setUp() throws IOException {
        context.addVersion("code-default", temp.newFile().toPath());
    }

    /** Starts the service with these nodes; calls to a node in {@code context.failed} fail as a dead agent would. */
    private void start(ServiceNode... nodes) {
        context.answers = (node, call) -> {
            if (context.failed.stream().anyMatch(f -> f.id().equals(node.id()))) {
                throw new AgentException(node.id(), "no agent answers at " + node.address());
            }
            return call.operation().equals("start_proxy") ? Map.of("port", 80) : Map.of();
        };
        context.nodes.add(nodes[0]);
        manager.onStart(List.of(nodes[0]));
        List<ServiceNode> more = List.of(nodes).subList(1, nodes.length);
        if (!more.isEmpty()) {
            context.nodes.addAll(more);
            manager.onAddNodes(more);
        }
        context.put("weight.backend.node-9", "300");
        context.calls.clear();
    }

    /** As the director does: the node leaves nodes() and joins failedNodes(), then the manager hears of it. */
    private void fail(ServiceNode node) {
        context.nodes.remove(node);
        context.failed.add(node);
        manager.onNodesFailed(List.of(node));
    }

    @SuppressWarnings("unchecked")
    private List<String> upstreamIps(String nodeId, String list) {
        Map<String, Object> params = context.lastCall(nodeId, "start_proxy").orElseThrow().params();
        return ((List<Map<String, Object>>) params.get(list)).stream().map(u -> (String) u.get("ip")).toList();
    }

    private boolean called(String nodeId) {
        return context.calls.stream().anyMatch(c -> c.nodeId().equals(nodeId));
    }

    @Test
    public void aFailedBackendIsDroppedAndItsRoleMovesBackToTheFirstProxy() {
        ServiceNode backend = node("node-9", "backend");
        start(node("node-1", "proxy"), node("node-2", "web"), backend);
        context.state().put("weight.backend.node-9", "300");
        context.calls.clear();

        fail(backend);

        assertFalse("the failed node gets no call", called("node-9"));
        assertEquals(List.of("node-1:start_backend", "node-1:start_proxy"), context.callSequence());
        assertEquals(List.of("127.1.0.1"), upstreamIps("node-1", "backends"));
        assertEquals(List.of("127.1.0.2"), upstreamIps("node-1", "web"));
        assertEquals("http://127.1.0.1:80/", context.url());
        assertFalse("what the manager knew of the failed node is forgotten",
                context.all().containsKey("weight.backend.node-9"));
    }

    @Test
    public void aFailedFirstProxyHandsTheUrlToTheNextProxy() {
        ServiceNode firstProxy = node("node-1", "proxy");
        start(firstProxy, node("node-2", "web"), node("node-3", "backend"), node("node-4", "proxy"));
        assertEquals("http://127.1.0.1:80/", context.url());

        fail(firstProxy);

        assertFalse(called("node-1"));
        assertEquals("http://127.1.0.4:80/", context.url());
        assertEquals(List.of("127.1.0.3"), upstreamIps("node-4", "backends"));
        assertEquals("backends admit only the live proxy", Map.of("proxies", List.of("127.1.0.4")),
                context.lastCall("node-3", "start_backend").orElseThrow().params());
    }

    @Test
    public void withoutAProxyLeftTheUrlIsCleared() {
        ServiceNode only = node("node-1", "proxy");
        start(only);

        fail(only);

        assertNull(context.url());
        assertEquals(List.of(), context.calls);
        assertTrue(context.logLines.toString(), context.logLines.stream().anyMatch(l -> l.contains("no proxy")));
    }
}
