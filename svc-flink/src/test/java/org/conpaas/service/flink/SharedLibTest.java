package org.conpaas.service.flink;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.conpaas.api.service.ServiceNode;
import org.conpaas.service.testing.FakeServiceContext;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Where the nodes' machine shares a folder, Flink's lib/ goes there once and no node is sent a jar. */
public class SharedLibTest {

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    @Test
    public void nodesOfOneMachineShareOneLibAndAreSentNothing() throws Exception {
        FakeServiceContext context = new FakeServiceContext();
        context.hostShare = temp.newFolder("host-share").toPath();
        FlinkDistribution distribution = new LoopbackFlink.TestDistribution(
                LoopbackFlink.distLib(temp.newFolder("director").toPath()));
        List<ServiceNode> nodes = List.of(FakeServiceContext.node("node-1", FlinkServiceType.MASTER),
                FakeServiceContext.node("node-2", FlinkServiceType.WORKER));

        assertEquals("no jar sent", 0, distribution.install(nodes, context));
        assertTrue("no agent asked what it lacks: " + context.calls, context.calls.isEmpty());
        Optional<String> lib = distribution.sharedLib(nodes.get(0), context);
        assertEquals(lib, distribution.sharedLib(nodes.get(1), context));
        try (var shared = Files.list(context.hostShare)) {
            assertEquals("one lib/ on the machine", 1, shared.count());
        }
        Path folder = Path.of(lib.orElseThrow());
        assertTrue(folder.getFileName().toString().startsWith("flink-" + distribution.lib().version() + "-lib-"));
        for (String jar : distribution.lib().jars().keySet()) {
            assertTrue(jar, Files.isRegularFile(folder.resolve(jar)));
        }
    }

    @Test
    public void withoutASharedFolderEveryNodeIsAskedForWhatItLacks() throws Exception {
        FakeServiceContext context = new FakeServiceContext();
        FlinkDistribution distribution = new LoopbackFlink.TestDistribution(
                LoopbackFlink.distLib(temp.newFolder("director").toPath()));
        ServiceNode node = FakeServiceContext.node("node-1", FlinkServiceType.MASTER);
        context.answers = (n, call) -> java.util.Map.of("missing", List.of());
        assertEquals(0, distribution.install(List.of(node), context));
        assertEquals(FlinkOperations.LIB_MISSING, context.calls.get(0).operation());
        assertTrue(distribution.sharedLib(node, context).isEmpty());
    }
}
