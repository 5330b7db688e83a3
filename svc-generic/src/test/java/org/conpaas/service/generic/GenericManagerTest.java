package org.conpaas.service.generic;

import static org.conpaas.service.testing.FakeServiceContext.node;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.conpaas.api.InvalidInputException;
import org.conpaas.api.service.ServiceNode;
import org.conpaas.service.testing.FakeServiceContext;
import org.junit.Before;
import org.junit.Test;

public class GenericManagerTest {

    private final FakeServiceContext context = new FakeServiceContext();
    private final GenericManager manager = new GenericManager(context);
    private final ServiceNode master = node("node-1", "master");
    /** Nodes that report run.sh as RUNNING. */
    private final Set<String> running = ConcurrentHashMap.newKeySet();

    @Before
    public void agentsAnswerLikeTheGenericPlugin() {
        use("code-default");
        context.answers = (node, call) -> {
            if (call.operation().equals("get_script_status")) {
                Map<String, String> status = new LinkedHashMap<>();
                for (String script : List.of("init.sh", "notify.sh", "run.sh", "interrupt.sh", "cleanup.sh")) {
                    status.put(script, script.equals("run.sh") && running.contains(node.id()) ? "RUNNING"
                            : "NEVER STARTED");
                }
                return status;
            }
            return Map.of();
        };
    }

    /** Makes a version (archive /archives/<id>.tar) the active one. */
    private void use(String version) {
        context.addVersion(version, Path.of("/archives/" + version + ".tar"));
        context.activate(version);
    }

    /** The calls of one operation, as "node:command" for execute_script and "node" otherwise. */
    private List<String> calls(String operation) {
        List<String> selected = new ArrayList<>();
        for (FakeServiceContext.Call call : List.copyOf(context.calls)) {
            if (call.operation().equals(operation)) {
                Object command = call.params().get("command");
                selected.add(call.nodeId() + (command == null ? "" : ":" + command));
            }
        }
        return selected;
    }

    private void started() throws Exception {
        context.nodes.add(master);
        manager.onStart(List.of(master));
    }

    private List<ServiceNode> add(String... ids) throws Exception {
        List<ServiceNode> added = java.util.Arrays.stream(ids).map(id -> node(id, "node")).toList();
        context.nodes.addAll(added);
        manager.onAddNodes(added);
        return added;
    }

    @Test
    public void startGivesTheMasterItsMembershipAndNoCode() throws Exception {
        started();

        assertEquals(List.of("node-1"), calls("init_agent"));
        assertEquals(List.of(Map.of("id", "node-1", "ip", "127.1.0.1", "role", "master")),
                context.calls.get(0).params().get("agents"));
        assertEquals("the core installed the code already", 1, context.calls.size());
        assertEquals("no notify without other nodes", List.of(), calls("execute_script"));
    }

    @Test
    public void addedNodesGetTheFullListThenTheOthersAreNotifiedOnce() throws Exception {
        started();
        add("node-2");
        context.calls.clear();

        add("node-3", "node-4");

        assertEquals(List.of("node-3", "node-4"), calls("init_agent"));
        assertEquals(List.of("node-1:notify", "node-2:notify"), calls("execute_script"));
        assertEquals("init_agent, then notify",
                List.of("init_agent", "init_agent", "execute_script", "execute_script"),
                context.calls.stream().map(FakeServiceContext.Call::operation).toList());
        Object agents = context.calls.get(0).params().get("agents");
        assertEquals(4, ((List<?>) agents).size());
        assertEquals(agents, context.calls.get(3).params().get("agents"));
    }

    @Test
    public void codeActivationIsRefusedWhileScriptsRun() throws Exception {
        started();
        running.add("node-1");
        context.calls.clear();
        try {
            manager.checkActivateCode("code-abc123");
            fail();
        } catch (org.conpaas.api.ConflictException e) {
            assertEquals(GenericManager.STILL_RUNNING, e.getMessage());
        }
    }

    @Test
    public void theMasterIsNeverRemovedAndTheRemainingNodesLearnTheRightList() throws Exception {
        started();
        add("node-2", "node-3", "node-10");
        try {
            manager.checkRemoveNodes(Map.of("master", 1));
            fail();
        } catch (InvalidInputException e) {
            assertEquals(GenericManager.MASTER_STAYS, e.getMessage());
        }
        manager.checkRemoveNodes(Map.of("node", 2));

        List<ServiceNode> chosen = manager.selectNodesToRemove(Map.of("node", 2, "master", 1), context.nodes());
        assertEquals(List.of("node-10", "node-3"), chosen.stream().map(ServiceNode::id).toList());

        context.calls.clear();
        manager.onRemoveNodes(chosen);
        assertEquals(List.of("node-1:notify", "node-2:notify"), calls("execute_script"));
        assertEquals(List.of(Map.of("id", "node-1", "ip", "127.1.0.1", "role", "master"),
                        Map.of("id", "node-2", "ip", "127.1.0.2", "role", "node")),
                context.calls.get(0).params().get("agents"));
    }

    @Test
    public void aFailedNodeIsNeverCalledAndTheOthersRunNotifyWithoutIt() throws Exception {
        started();
        List<ServiceNode> added = add("node-2", "node-3");
        ServiceNode dead = added.get(0);
        // As the director does: the failed node leaves nodes() before the manager hears of it.
        context.nodes.remove(dead);
        context.failed.add(dead);
        context.calls.clear();

        manager.onNodesFailed(List.of(dead));

        assertEquals(List.of("node-1:notify", "node-3:notify"), calls("execute_script"));
        assertEquals(List.of(Map.of("id", "node-1", "ip", "127.1.0.1", "role", "master"),
                        Map.of("id", "node-3", "ip", "127.1.0.3", "role", "node")),
                context.calls.get(0).params().get("agents"));

        context.calls.clear();
        Object result = manager.invoke("run", Map.of(), Map.of());
        assertEquals(List.of("node-1:run", "node-3:run"), calls("execute_script"));
        assertEquals(Map.of("command", "run", "nodes", 2, "skippedFailedNodes", List.of("node-2")), result);
    }

    @Test
    public void runAndCleanupAreRefusedWhileScriptsRunAndInterruptNeedsSomethingRunning() throws Exception {
        started();
        add("node-2");
        try {
            manager.invoke("interrupt", Map.of(), Map.of());
            fail();
        } catch (IllegalArgumentException e) {
            assertEquals("ERROR: No scripts are currently running inside agents. Nothing to interrupt.",
                    e.getMessage());
        }
        context.calls.clear();
        manager.invoke("run", Map.of("parameters", "--fast 3"), Map.of());
        assertEquals(List.of("node-1:run", "node-2:run"), calls("execute_script"));
        assertEquals("--fast 3", calls("execute_script").isEmpty() ? null
                : context.calls.stream().filter(c -> c.operation().equals("execute_script")).findFirst().get()
                        .params().get("parameters"));

        running.add("node-2");
        for (String command : List.of("run", "cleanup")) {
            try {
                manager.invoke(command, Map.of(), Map.of());
                fail(command);
            } catch (IllegalArgumentException e) {
                assertEquals("ERROR: Scripts are still running inside at least one agent. Please wait for them to "
                        + "finish execution or call 'interrupt' first.", e.getMessage());
            }
        }
        context.calls.clear();
        manager.invoke("interrupt", Map.of(), Map.of());
        assertEquals(List.of("node-1:interrupt", "node-2:interrupt"), calls("execute_script"));
    }

    @Test
    public void scriptStatusIsReportedPerNode() throws Exception {
        started();
        add("node-2");
        running.add("node-2");

        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> agents = (Map<String, Map<String, Object>>) ((Map<String, Object>)
                manager.invoke("get_script_status", Map.of(), Map.of())).get("agents");

        assertEquals(List.of("node-1", "node-2"), List.copyOf(agents.keySet()));
        assertEquals("RUNNING", agents.get("node-2").get("run.sh"));
        assertEquals("NEVER STARTED", agents.get("node-1").get("run.sh"));
        assertEquals(5, agents.get("node-1").size());
    }

    @Test
    public void withoutActiveCodeNodesOnlyGetTheirMembership() throws Exception {
        context.deactivate();
        started();
        assertEquals(List.of("node-1"), calls("init_agent"));
        assertTrue(context.logLines.toString(), context.logLines.get(0).startsWith("WARN"));
    }

    @Test
    public void theTypeDescribesRolesStartAndOperations() {
        GenericServiceType type = new GenericServiceType();
        assertEquals("generic", type.name());
        assertEquals(List.of("master", "node"), type.roles());
        assertEquals("node", type.defaultRole());
        assertEquals(Map.of("master", 1), type.startingNodes());
        assertEquals(List.of("run", "interrupt", "cleanup", "get_script_status"),
                type.operations().stream().map(o -> o.name()).toList());
        assertTrue(type.operations().get(3).readOnly());
        assertEquals(List.of("parameters"), type.operations().get(0).parameters().stream().map(p -> p.name()).toList());
        assertTrue(!type.operations().get(0).parameters().get(0).required());
        assertTrue(type.createManager(context) instanceof GenericManager);
    }

    @Test
    public void scriptsGetWhatTheApplicationsOtherServicesPublished() throws Exception {
        context.applicationVariables = Map.of("XTREEMFS_MASTER", "198.19.0.2");
        context.nodes.add(master);
        manager.onStart(List.of(master));
        manager.invoke("run", Map.of(), Map.of());
        for (FakeServiceContext.Call call : List.copyOf(context.calls)) {
            if (!call.operation().equals("get_script_status")) {
                assertEquals(call.toString(), Map.of("XTREEMFS_MASTER", "198.19.0.2"), call.params().get("variables"));
            }
        }
    }
}
