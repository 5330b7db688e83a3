package org.conpaas.core.internal.director;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.conpaas.api.State;
import org.conpaas.api.model.NodeInfo;
import org.conpaas.api.model.NodeStatus;
import org.conpaas.api.model.ServiceInfo;
import org.conpaas.api.model.StateChange;
import org.conpaas.core.internal.persistence.TestDatabase;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Node failure: the health monitor's rounds are run by the test (no timer), against fake agents that stop answering
 * when a node is marked dead, a fake cloud and the real director on an embedded database.
 */
public class NodeFailureTest {
    private static final String USER = "alice";
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration ROUND = Duration.ofSeconds(5);

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private TestDatabase db;
    private FakeCloud cloud;
    private FakeAgents agents;
    private EchoType echo;
    private DirectorService director;
    private final FakeCredits credits = new FakeCredits();

    @Before
    public void setUp() {
        db = new TestDatabase(folder.getRoot().toPath());
        cloud = new FakeCloud();
        agents = new FakeAgents(cloud);
        echo = new EchoType();
        director = newDirector(new NodeHealthMonitor.Settings(Duration.ofSeconds(5), 2, Duration.ofSeconds(1), 4));
    }

    private DirectorService newDirector(NodeHealthMonitor.Settings checks) {
        CloudRegistry clouds = new CloudRegistry();
        clouds.bindCloud(cloud);
        return TestDirectors.director(db, folder.getRoot().toPath().resolve("data"), echo, clouds,
                new TestDirectors.Fakes(agents, new FakeAccounts(), credits, new FakeCodeVersions()), checks,
                InputLimits.DEFAULTS);
    }

    @After
    public void tearDown() {
        director.deactivate();
        db.close();
    }

    /** A RUNNING service with node-1 and node-2. */
    private void twoNodeService() {
        director.createApplication(USER, "shop");
        director.startApplication(USER, "shop");
        director.addService(USER, "shop", "echo", null);
        director.startService(USER, "shop", "1", null);
        assertEquals(State.RUNNING, director.awaitSettled(USER, "shop", "1", WAIT).state());
        director.addNodes(USER, "shop", "1", Map.of("node", 1), null);
        assertEquals(State.RUNNING, director.awaitSettled(USER, "shop", "1", WAIT).state());
        echo.calls.clear();
    }

    private List<String> round() {
        return director.healthMonitor().round(ROUND);
    }

    private NodeInfo node(String id) {
        return director.node(USER, "shop", "1", id);
    }

    private String vmOf(String nodeId) {
        return node(nodeId).vmId();
    }

    @Test
    public void whatAPluginSaysIsWrongIsTheNodesReasonWhileItLasts() {
        twoNodeService();
        agents.problems.put("node-2", "mariadbd is not running (it exited)");
        assertEquals("a plug-in's problem fails no node", List.of(), round());
        NodeInfo ailing = node("node-2");
        assertEquals(NodeStatus.RUNNING, ailing.status());
        assertEquals("mariadbd is not running (it exited)", ailing.statusReason());
        assertEquals("the other node is well", null, node("node-1").statusReason());
        agents.busy.add("node-2");
        round();
        assertEquals("a busy answer says nothing about the plug-in", "mariadbd is not running (it exited)",
                node("node-2").statusReason());
        agents.busy.remove("node-2");
        agents.problems.remove("node-2");
        round();
        assertEquals("cleared once the plug-in is well again", null, node("node-2").statusReason());
        assertEquals(State.RUNNING, director.service(USER, "shop", "1").state());
    }

    @Test
    public void aBusyAgentIsAliveNotAMissedCheck() {
        twoNodeService();
        agents.busy.add("node-2");
        for (int i = 0; i < 4; i++) {
            assertEquals("a busy agent (503) answered, so its node is not failed", List.of(), round());
        }
        assertEquals(NodeStatus.RUNNING, node("node-2").status());
        agents.busy.remove("node-2");
        agents.dead.add("node-2");
        assertEquals("busy answers left no misses behind", List.of(), round());
        assertEquals(List.of("node-2"), round());
    }

    @Test
    public void aNodeThatStopsAnsweringIsFailedRecordedAndReplaced() {
        twoNodeService();
        String deadVm = vmOf("node-2");
        agents.dead.add("node-2");

        assertEquals("one missed check is not a failure", List.of(), round());
        assertEquals(NodeStatus.RUNNING, node("node-2").status());
        assertEquals(List.of("node-2"), round());

        ServiceInfo settled = director.awaitSettled(USER, "shop", "1", WAIT);
        assertEquals(settled.stateReason(), State.RUNNING, settled.state());
        assertEquals("replacing failed node-2: added nodes node=1 (node-3)", settled.stateReason());
        NodeInfo failed = node("node-2");
        assertEquals(NodeStatus.FAILED, failed.status());
        assertTrue(failed.statusReason(), failed.statusReason().startsWith("its agent did not answer 2 checks in a "
                + "row (5 s apart): no agent answers at"));
        assertFalse("the failed machine is terminated", cloud.machines.containsKey(deadVm));
        assertEquals(NodeStatus.RUNNING, node("node-3").status());
        assertEquals(List.of("failed [node-2]", "add 1"), echo.calls);
        assertEquals("the replacement is charged as a new node", Integer.valueOf(3), credits.started.get(USER));

        List<StateChange> history = director.history(USER, "shop", "1");
        StateChange declared = history.get(history.size() - 2);
        assertEquals(State.ADAPTING, declared.state());
        assertTrue(declared.reason(), declared.reason().startsWith("node-2 failed: its agent did not answer"));
        assertTrue(declared.reason(), declared.reason().endsWith("; replacing it"));
        assertEquals(State.RUNNING, history.get(history.size() - 1).state());

        assertEquals(List.of("hello from node-1", "hello from node-3"),
                director.invoke(USER, "shop", "1", "greet", Map.of(), Map.of()));
        assertEquals("a FAILED node is not watched again, so it is never declared twice", List.of(), round());
        assertEquals(List.of(), round());
        assertEquals(3, director.nodes(USER, "shop", "1").size());

        director.stopService(USER, "shop", "1");
        assertEquals(State.STOPPED, director.awaitSettled(USER, "shop", "1", WAIT).state());
        assertTrue("stopping releases the FAILED row too", director.nodes(USER, "shop", "1").isEmpty());
        assertTrue(cloud.machines.isEmpty());
    }

    @Test
    public void theStartedMonitorChecksByItselfAndStopsWithTheDirector() throws Exception {
        twoNodeService();
        director.deactivate();
        director = newDirector(new NodeHealthMonitor.Settings(Duration.ofMillis(100), 2, Duration.ofSeconds(1), 2));
        director.healthMonitor().start();
        agents.dead.add("node-1");

        long deadline = System.nanoTime() + WAIT.toNanos();
        while (node("node-1").status() != NodeStatus.FAILED && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(NodeStatus.FAILED, node("node-1").status());
        assertEquals(State.RUNNING, director.awaitSettled(USER, "shop", "1", WAIT).state());
        assertEquals(NodeStatus.RUNNING, node("node-3").status());

        director.deactivate();
        agents.dead.add("node-2");
        Thread.sleep(500);
        assertEquals("a stopped monitor checks nothing", NodeStatus.RUNNING, node("node-2").status());
    }

    @Test
    public void withReplacementOffTheNodeIsOnlyFailed() {
        twoNodeService();
        ServiceInfo off = director.setReplaceFailedNodes(USER, "shop", "1", false);
        assertFalse(off.replaceFailedNodes());
        String deadVm = vmOf("node-1");
        agents.dead.add("node-1");

        round();
        assertEquals(List.of("node-1"), round());

        ServiceInfo settled = director.awaitSettled(USER, "shop", "1", WAIT);
        assertEquals(State.RUNNING, settled.state());
        assertTrue(settled.stateReason(), settled.stateReason().startsWith("node-1 failed: its agent did not answer"));
        assertTrue(settled.stateReason(), settled.stateReason().endsWith("; not replaced (replaceFailedNodes is off)"));
        assertFalse(settled.replaceFailedNodes());
        assertEquals(NodeStatus.FAILED, node("node-1").status());
        assertFalse(cloud.machines.containsKey(deadVm));
        assertEquals(2, director.nodes(USER, "shop", "1").size());
        assertEquals(List.of("failed [node-1]"), echo.calls);
        assertEquals(Integer.valueOf(2), credits.started.get(USER));
        assertEquals(List.of("hello from node-2"), director.invoke(USER, "shop", "1", "greet", Map.of(), Map.of()));
        List<State> tail = director.history(USER, "shop", "1").stream().map(StateChange::state).toList();
        assertEquals(List.of(State.ADAPTING, State.RUNNING), tail.subList(tail.size() - 2, tail.size()));
    }

    @Test
    public void anAgentThatAnswersAgainBeforeTheMissCountIsFine() {
        twoNodeService();
        agents.dead.add("node-2");
        round();
        agents.dead.remove("node-2");
        round();
        agents.dead.add("node-2");
        assertEquals("the count started again after the answer", List.of(), round());
        agents.dead.remove("node-2");
        round();

        assertEquals(NodeStatus.RUNNING, node("node-2").status());
        assertEquals(State.RUNNING, director.service(USER, "shop", "1").state());
        assertEquals(List.of(), echo.calls);
    }

    @Test
    public void nothingIsDeclaredWhileTheServiceStartsChangesOrStops() {
        twoNodeService();
        agents.dead.add("node-2");
        for (State busy : List.of(State.PROLOGUE, State.ADAPTING, State.EPILOGUE)) {
            db.run(em -> em.createQuery("update ServiceEntity s set s.state = :s").setParameter("s", busy)
                    .executeUpdate());
            assertEquals(busy + " is left alone", List.of(), round());
            assertEquals(List.of(), round());
            assertEquals(NodeStatus.RUNNING, node("node-2").status());
        }
        db.run(em -> em.createQuery("update ServiceEntity s set s.state = :s").setParameter("s", State.RUNNING)
                .executeUpdate());
        assertEquals("misses counted while busy do not carry over", List.of(), round());
        assertEquals(List.of("node-2"), round());
        director.awaitSettled(USER, "shop", "1", WAIT);
    }

    @Test
    public void aFailedReplacementLeavesTheServiceRunningWithTheReason() {
        twoNodeService();
        agents.dead.add("node-2");
        cloud.failLaunches = true;
        round();
        round();

        ServiceInfo settled = director.awaitSettled(USER, "shop", "1", WAIT);
        assertEquals(State.RUNNING, settled.state());
        assertEquals("replacing failed node-2: adding nodes failed: quota exceeded; the service keeps its other nodes",
                settled.stateReason());
        assertEquals(NodeStatus.FAILED, node("node-2").status());
        assertEquals(2, director.nodes(USER, "shop", "1").size());
        assertEquals(1, cloud.machines.size());
    }

    @Test
    public void withoutCreditTheFailedNodeIsNotReplaced() {
        twoNodeService();
        agents.dead.add("node-2");
        credits.broke.add(USER);
        round();
        round();

        ServiceInfo settled = director.awaitSettled(USER, "shop", "1", WAIT);
        assertEquals(State.RUNNING, settled.state());
        assertTrue(settled.stateReason(), settled.stateReason().startsWith("replacing failed node-2: not possible: "
                + "cannot replace a failed node: alice has no credit left"));
        assertEquals(2, director.nodes(USER, "shop", "1").size());
    }
}
