package org.conpaas.service.web;

import static org.junit.Assert.assertEquals;

import java.util.List;
import java.util.Map;
import org.conpaas.api.service.ServiceNode;
import org.conpaas.service.testing.FakeServiceContext;
import org.junit.Test;

public class TopologyTest {

    private static ServiceNode n(int id, String role) {
        return FakeServiceContext.node("node-" + id, role);
    }

    @Test
    public void theFirstProxyRunsWhatNoStandAloneNodeRuns() {
        Topology packed = new Topology(List.of(n(1, "proxy")));
        assertEquals(Map.of("proxy", List.of("node-1"), "web", List.of("node-1"), "backend", List.of("node-1")),
                packed.nodeIdsByRole());
        assertEquals(0, packed.count("web"));

        // node-10 after node-9: ids order numerically, and the oldest proxy is the first
        Topology spread = new Topology(List.of(n(10, "proxy"), n(9, "backend"), n(2, "proxy"), n(3, "web")));
        assertEquals(Map.of("proxy", List.of("node-2", "node-10"), "web", List.of("node-3"),
                "backend", List.of("node-9")), spread.nodeIdsByRole());
        assertEquals("node-2", spread.firstProxy().id());
    }
}
