package org.conpaas.core.internal.director;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.conpaas.api.AgentException;
import org.conpaas.api.service.ServiceNode;
import org.conpaas.core.internal.agent.AgentClient;
import org.conpaas.core.internal.agent.AgentStatus;
import org.conpaas.core.internal.code.NodeCode;
import org.conpaas.core.internal.persistence.Store;
import org.conpaas.core.internal.persistence.TestDatabase;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Activation on many nodes: bounded parallelism, stored everywhere before any switch, switch-back on a refusal. */
public class NodeCodeTest {

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private TestDatabase db;
    private final FakeCodeVersions code = new FakeCodeVersions();
    private final Agents agents = new Agents();
    private final List<ServiceNode> nodes = new ArrayList<>();
    private NodeCode nodeCode;

    @Before
    public void setUp() {
        db = new TestDatabase(folder.getRoot().toPath());
        nodeCode = new NodeCode(new Store(db), agents, code);
        code.upload(1, null, null); // code-1
        code.upload(1, null, null); // code-2
        for (int i = 1; i <= 20; i++) {
            nodes.add(new ServiceNode("node-" + i, "node", "127.0.0." + i, 5555, "test", "vm-" + i));
        }
    }

    @After
    public void tearDown() {
        db.close();
    }

    @Test
    public void atMostEightNodesGetTheArchiveAtOnceAndEveryNodeHasItBeforeAnySwitches() {
        nodeCode.activate(1, nodes, "code-2", Optional.of("code-1"));

        assertEquals("parallel, but at most 8 at once", 8, agents.mostAtOnce.get());
        assertEquals(20, agents.stored.size());
        assertEquals(20, agents.switches.size());
        int lastStore = agents.events.lastIndexOf("store");
        int firstSwitch = agents.events.indexOf("switch");
        assertTrue("every node stored the version before the first switch", lastStore < firstSwitch);
    }

    @Test
    public void aNodeThatRefusesSendsTheSwitchedNodesBackAndNamesItsReason() {
        agents.refusing.put("node-5", "code-2");

        AgentException failure = assertThrows(AgentException.class,
                () -> nodeCode.activate(1, nodes, "code-2", Optional.of("code-1")));

        assertTrue(failure.getMessage(), failure.getMessage().startsWith("the code was not activated on node-5 "));
        assertTrue(failure.getMessage(), failure.getMessage().contains("node-5 cannot serve code-2"));
        List<String> switchedBack = agents.switches.stream().filter(s -> s.endsWith("code-1")).toList();
        List<String> switchedForward = agents.switches.stream().filter(s -> s.endsWith("code-2")).toList();
        assertEquals("every node that switched went back, and only those", switchedForward.size(),
                switchedBack.size());
        assertEquals(19, switchedForward.size());
        assertTrue(switchedBack.stream().noneMatch(s -> s.startsWith("node-5 ")));
    }

    /** Agents that take a while to store (so calls overlap) and switch at once. */
    private static final class Agents implements AgentClient {
        final AtomicInteger atOnce = new AtomicInteger();
        final AtomicInteger mostAtOnce = new AtomicInteger();
        final List<String> stored = new CopyOnWriteArrayList<>();
        final List<String> switches = new CopyOnWriteArrayList<>();
        final List<String> events = new CopyOnWriteArrayList<>();
        final Map<String, String> refusing = new ConcurrentHashMap<>();

        @Override
        public void installCode(ServiceNode node, String version, Path archive) {
            mostAtOnce.accumulateAndGet(atOnce.incrementAndGet(), Math::max);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                atOnce.decrementAndGet();
            }
            stored.add(node.id());
            events.add("store");
        }

        @Override
        public void activateCode(ServiceNode node, String version) {
            events.add("switch");
            if (version.equals(refusing.get(node.id()))) {
                throw new AgentException(node.id(), "node " + node.id() + " refused activating code version "
                        + version + ": " + node.id() + " cannot serve " + version);
            }
            switches.add(node.id() + " " + version);
        }

        @Override
        public AgentStatus status(ServiceNode node, Duration timeout) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void installPlugin(ServiceNode node, String type, byte[] bundleJar) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Object call(ServiceNode node, String type, String operation, Map<String, Object> params,
                Map<String, Path> files) {
            throw new UnsupportedOperationException();
        }

        @Override
        public org.conpaas.core.internal.agent.AgentMetrics metrics(ServiceNode node, java.time.Duration timeout) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String log(ServiceNode node, String file, int tail) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String mountVolume(ServiceNode node, String name, String device) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void unmountVolume(ServiceNode node, String name) {
            throw new UnsupportedOperationException();
        }
    }
}
