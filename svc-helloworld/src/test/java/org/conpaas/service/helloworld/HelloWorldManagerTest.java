package org.conpaas.service.helloworld;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.conpaas.api.AgentException;
import org.conpaas.api.service.ServiceNode;
import org.conpaas.service.testing.FakeServiceContext;
import org.junit.Before;
import org.junit.Test;

public class HelloWorldManagerTest {

    private final FakeServiceContext context = new FakeServiceContext();
    private final HelloWorldManager manager = new HelloWorldManager(context);
    /** What each fake agent was told to answer (helloworld's plug-in keeps one string). */
    private final Map<String, String> agentStrings = new HashMap<>();

    @Before
    public void agentsAnswerLikeTheHelloworldPlugin() {
        context.answers = (node, call) -> switch (call.operation()) {
            case "startup" -> {
                agentStrings.put(node.id(), (String) call.params().get("string"));
                yield Map.of();
            }
            case "get_helloworld" -> agentStrings.getOrDefault(node.id(), "helloworld");
            default -> throw new AgentException(node.id(), "plug-in operation " + call.operation()
                    + " does not exist");
        };
    }

    private static ServiceNode node(String id) {
        return FakeServiceContext.node(id, "node");
    }

    @Test
    public void answersOneLinePerNodeInNodeIdOrder() throws Exception {
        // Deliberately out of order, and "node-10" sorts before "node-9" as text.
        context.nodes.addAll(List.of(node("node-10"), node("node-2"), node("node-9")));
        manager.onStart(context.nodes());

        Object result = manager.invoke("get_helloworld", Map.of(), Map.of());

        assertEquals(Map.of("helloworld", "Received helloworld from node-2\n"
                + "Received helloworld from node-9\n"
                + "Received helloworld from node-10"), result);
    }

    @Test
    public void failedNodesAreSkippedAndNamed() throws Exception {
        context.nodes.addAll(List.of(node("node-1"), node("node-3")));
        context.failed.addAll(List.of(node("node-10"), node("node-2")));
        manager.onStart(context.nodes());
        context.calls.clear();

        Object result = manager.invoke("get_helloworld", Map.of(), Map.of());

        assertEquals(Map.of("helloworld", "Received helloworld from node-1\n"
                + "Received helloworld from node-3\n"
                + "Skipped failed node(s): node-2, node-10"), result);
        assertEquals("failed nodes get no call", List.of("node-1", "node-3"), context.callsOf("get_helloworld"));
    }

    @Test
    public void nodesGetTheStringFromTheServiceState() throws Exception {
        context.put("string", "bonjour");
        context.nodes.add(node("node-1"));
        manager.onStart(context.nodes());

        assertEquals(List.of(new FakeServiceContext.Call("node-1", "startup", Map.of("string", "bonjour"), Map.of())),
                context.calls);
        assertEquals(Map.of("helloworld", "Received bonjour from node-1"),
                manager.invoke("get_helloworld", Map.of(), Map.of()));
        assertTrue(context.logLines.toString(), context.logLines.get(0).contains("'bonjour'"));
    }

    @Test
    public void addedNodesAreConfiguredWithoutTouchingTheOthers() throws Exception {
        context.nodes.add(node("node-1"));
        manager.onStart(context.nodes());
        context.put("string", "hola");
        ServiceNode added = node("node-2");
        context.nodes.add(added);
        context.calls.clear();

        manager.onAddNodes(List.of(added));

        assertEquals(List.of(new FakeServiceContext.Call("node-2", "startup", Map.of("string", "hola"), Map.of())),
                context.calls);
        assertEquals(Map.of("helloworld", "Received helloworld from node-1\nReceived hola from node-2"),
                manager.invoke("get_helloworld", Map.of(), Map.of()));
    }

    @Test
    public void anEmptyServiceAnswersNothingAndAddingNoNodesCallsNoAgent() throws Exception {
        manager.onAddNodes(List.of());
        assertTrue(context.calls.isEmpty());
        assertEquals(Map.of("helloworld", ""), manager.invoke("get_helloworld", Map.of(), Map.of()));
    }

    @Test
    public void unknownOperationsAreRefused() throws Exception {
        try {
            manager.invoke("get_goodbye", Map.of(), Map.of());
            fail();
        } catch (IllegalArgumentException e) {
            assertEquals("unknown operation get_goodbye", e.getMessage());
        }
    }

    @Test
    public void theTypeDescribesItsSingleRoleAndItsOperation() {
        HelloWorldServiceType type = new HelloWorldServiceType();
        assertEquals("helloworld", type.name());
        assertEquals(List.of("node"), type.roles());
        assertEquals("node", type.defaultRole());
        assertEquals(Map.of("node", 1), type.startingNodes());
        assertEquals(1, type.operations().size());
        assertEquals("get_helloworld", type.operations().get(0).name());
        assertTrue(type.operations().get(0).readOnly());
        assertTrue(type.operations().get(0).parameters().isEmpty());
        assertTrue(type.createManager(context) instanceof HelloWorldManager);
    }
}
