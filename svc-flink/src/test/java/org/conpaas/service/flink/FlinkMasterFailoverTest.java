package org.conpaas.service.flink;

import static org.junit.Assert.assertEquals;

import java.util.List;
import java.util.Map;
import org.conpaas.api.service.ServiceNode;
import org.junit.Test;

/**
 * A master whose machine fails takes Flink's JobManager with it: the replacement master the director adds starts a
 * new one, the surviving worker's TaskManager joins it, and the service's URL follows (real Flink, loopback nodes).
 */
public class FlinkMasterFailoverTest {

    @Test
    public void aReplacementMasterStartsANewJobManagerThatTheWorkersJoin() throws Exception {
        try (LoopbackFlink flink = new LoopbackFlink()) {
            ServiceNode master = flink.node(1, FlinkServiceType.MASTER);
            ServiceNode worker = flink.node(2, FlinkServiceType.WORKER);
            flink.context.nodes.add(master);
            flink.manager.onStart(List.of(master));
            flink.context.nodes.add(worker);
            flink.manager.onAddNodes(List.of(worker));
            assertEquals(4, info(flink).get("slotsTotal"));

            // the master's machine goes; the director marks it FAILED, tells the manager, then adds a replacement
            flink.nodes.fail(1);
            flink.context.nodes.remove(master);
            flink.context.failed.add(master);
            flink.manager.onNodesFailed(List.of(master));
            ServiceNode replacement = flink.node(3, FlinkServiceType.MASTER);
            flink.context.nodes.add(replacement);
            flink.manager.onAddNodes(List.of(replacement));

            Map<String, Object> info = info(flink);
            assertEquals(replacement.id(), info.get("master"));
            assertEquals("both TaskManagers joined the new JobManager", 2, info.get("taskmanagers"));
            assertEquals(4, info.get("slotsTotal"));
            assertEquals("http://" + replacement.address() + ":8081/", flink.context.url());
        }
    }

    private static Map<String, Object> info(LoopbackFlink flink) throws Exception {
        return JobViews.map(flink.manager.invoke(FlinkServiceType.GET_INFO, Map.of(), Map.of()));
    }
}
