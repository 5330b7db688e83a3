package org.conpaas.service.web;

import static org.conpaas.service.testing.FakeServiceContext.node;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import org.conpaas.api.AgentException;
import org.conpaas.api.service.ServiceNode;
import org.conpaas.service.testing.FakeServiceContext;
import org.conpaas.service.testing.FakeServiceContext.Call;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A reconfiguration or code activation that fails half-way: the nodes the director keeps serve as before (what the
 * manager sent them is undone newest first), the nodes it releases are only forgotten, and the original failure
 * reaches the director with any failure of the rollback attached.
 */
public class WebManagerRollbackTest {

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private final FakeServiceContext context = new FakeServiceContext();
    private final WebManager manager = new PlainWebManager(context);
    private final ServiceNode first = node("node-1", "proxy");

    /** The smallest web type: no code check, backends told only which proxies may reach them. */
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
        answerNormally();
    }

    private void answerNormally() {
        context.answers = (node, call) -> call.operation().equals("start_proxy") ? Map.of("port", 80) : Map.of();
    }

    /** Fails the n-th call (1-based, counted from now) of an operation to a node; everything else answers normally. */
    private AgentException failOn(String nodeId, String operation, int nth) {
        AgentException failure = new AgentException(nodeId, nodeId + " refused " + operation);
        BiFunction<ServiceNode, Call, Object> normal = context.answers;
        int[] seen = {0};
        context.answers = (node, call) -> {
            if (node.id().equals(nodeId) && call.operation().equals(operation) && ++seen[0] == nth) {
                throw failure;
            }
            return normal.apply(node, call);
        };
        return failure;
    }

    private void start(ServiceNode... more) {
        context.nodes.add(first);
        manager.onStart(List.of(first));
        if (more.length > 0) {
            add(more);
        }
        context.calls.clear();
    }

    private void add(ServiceNode... nodes) {
        context.nodes.addAll(List.of(nodes));
        try {
            manager.onAddNodes(List.of(nodes));
        } catch (RuntimeException e) {
            context.nodes.removeAll(List.of(nodes)); // as the director releases them
            throw e;
        }
    }

    private RuntimeException addFails(ServiceNode... nodes) {
        try {
            add(nodes);
        } catch (RuntimeException expected) {
            return expected;
        }
        throw new AssertionError("adding " + List.of(nodes) + " did not fail");
    }

    /** The calls made since the failing one, i.e. the rollback. */
    private List<String> callsAfter(String failedCall) {
        List<String> sequence = context.callSequence();
        int failed = sequence.lastIndexOf(failedCall);
        assertTrue(failedCall + " was not called: " + sequence, failed >= 0);
        return sequence.subList(failed + 1, sequence.size());
    }

    @SuppressWarnings("unchecked")
    private List<String> upstreamIps(String nodeId, String list) {
        Map<String, Object> params = context.lastCall(nodeId, "start_proxy").orElseThrow().params();
        return ((List<Map<String, Object>>) params.get(list)).stream().map(u -> (String) u.get("ip")).toList();
    }

    private Optional<String> state(String key) {
        return context.get(key);
    }

    @Test
    public void aFailedAdditionGivesThePackedNodeItsRolesAndTheBeforeListsBack() {
        start();
        AgentException failure = failOn("node-1", "stop_web", 1);
        RuntimeException thrown = addFails(node("node-2", "web"), node("node-3", "backend"));

        assertSame(failure, thrown);
        assertEquals(List.of("node-3:start_backend", "node-2:start_web",
                "node-1:start_proxy", "node-1:stop_backend", "node-1:stop_web"),
                context.callSequence().subList(0, 5));
        assertEquals("the packed roles run again before the proxy points at them; released nodes are left alone",
                List.of("node-1:start_web", "node-1:start_backend", "node-1:start_proxy"),
                callsAfter("node-1:stop_web"));
        assertEquals(List.of("127.1.0.1"), upstreamIps("node-1", "web"));
        assertEquals(List.of("127.1.0.1"), upstreamIps("node-1", "backends"));
        assertEquals(List.of("127.1.0.1"), context.lastCall("node-1", "start_backend").orElseThrow().params()
                .get("proxies"));
        assertEquals("http://127.1.0.1:80/", context.url());
        assertTrue(context.logLines.toString(), context.logLines.contains("WARN rolling back (4 step(s)) after: "
                + "node-1 refused stop_web"));

        context.calls.clear();
        answerNormally();
        add(node("node-4", "web"), node("node-5", "backend"));
        assertEquals("the service takes the next addition as if the failed one never happened",
                List.of("node-5:start_backend", "node-4:start_web",
                        "node-1:start_proxy", "node-1:stop_backend", "node-1:stop_web"), context.callSequence());
    }

    @Test
    public void aProxyRefusingItsConfigurationPutsTheReloadedProxiesBack() {
        start(node("node-2", "web"), node("node-3", "backend"));
        add(node("node-4", "proxy"));
        context.calls.clear();
        AgentException failure = failOn("node-4", "start_proxy", 1);

        assertSame(failure, addFails(node("node-5", "backend")));
        assertEquals(List.of("node-5:start_backend", "node-1:start_proxy",
                "node-4:start_proxy", "node-4:start_proxy", "node-1:start_proxy"), context.callSequence());
        assertEquals(List.of("127.1.0.3"), upstreamIps("node-1", "backends"));
        assertEquals(List.of("127.1.0.3"), upstreamIps("node-4", "backends"));
        assertEquals(List.of("127.1.0.2"), upstreamIps("node-4", "web"));
    }

    @Test
    public void aFailingRollbackStepIsLoggedAndAttachedToTheOriginalFailureWhileTheOthersStillRun() {
        start(node("node-2", "web"), node("node-3", "backend"));
        add(node("node-4", "proxy"));
        context.calls.clear();
        AgentException failure = failOn("node-4", "start_proxy", 1);
        AgentException rollbackFailure = failOn("node-1", "start_proxy", 2);

        RuntimeException thrown = addFails(node("node-5", "backend"));

        assertSame("the original failure reaches the director", failure, thrown);
        assertEquals(List.of(rollbackFailure), List.of(thrown.getSuppressed()));
        assertTrue(context.logLines.toString(), context.logLines.contains("ERROR rolling back failed to put the proxy "
                + "role of node-1 back: node-1 refused start_proxy"));
        assertEquals("the proxy that refused its configuration got the before lists all the same",
                List.of("127.1.0.3"), upstreamIps("node-4", "backends"));
        assertEquals("later steps still ran", List.of("127.1.0.3"), upstreamIps("node-1", "backends"));
    }

    @Test
    public void aFailedRemovalOfAProxyBringsItBackAdmittedByTheBackends() {
        ServiceNode proxy2 = node("node-4", "proxy");
        start(node("node-2", "web"), node("node-3", "backend"), proxy2);
        AgentException failure = failOn("node-3", "start_backend", 1);
        try {
            manager.onRemoveNodes(List.of(proxy2));
            fail("the removal did not fail");
        } catch (AgentException thrown) {
            assertSame(failure, thrown);
        }
        assertEquals(List.of("node-1:start_proxy", "node-4:stop_proxy", "node-3:start_backend",
                "node-3:start_backend", "node-4:start_proxy", "node-1:start_proxy"), context.callSequence());
        assertEquals("the backend admits the proxy again before it starts",
                List.of("127.1.0.1", "127.1.0.4"), context.lastCall("node-3", "start_backend").orElseThrow().params()
                        .get("proxies"));
        assertEquals(List.of("127.1.0.3"), upstreamIps("node-4", "backends"));
    }

    @Test
    public void removingTheLastBackendFailingAfterTheFirstProxyTookItBackStopsItThereAgain() {
        ServiceNode backend = node("node-2", "backend");
        start(backend);
        AgentException failure = failOn("node-2", "stop_backend", 1);
        try {
            manager.onRemoveNodes(List.of(backend));
            fail("the removal did not fail");
        } catch (AgentException thrown) {
            assertSame(failure, thrown);
        }
        assertEquals(List.of("node-2:start_backend", "node-1:start_proxy", "node-1:stop_backend"),
                callsAfter("node-2:stop_backend"));
        assertEquals(List.of("127.1.0.2"), upstreamIps("node-1", "backends"));
    }

    @Test
    public void aFailedStartLeavesNoUrlAndNoRecords() {
        context.nodes.add(first);
        failOn("node-1", "start_proxy", 1);
        try {
            manager.onStart(List.of(first));
            fail("the start did not fail");
        } catch (AgentException expected) {
            assertEquals("node-1 refused start_proxy", expected.getMessage());
        }
        assertEquals("the director releases every node: nothing to put back on them",
                List.of("node-1:start_backend", "node-1:start_web", "node-1:start_proxy"),
                context.callSequence());
        assertEquals(Map.of(), context.all());
        assertEquals(null, context.url());
    }
}
