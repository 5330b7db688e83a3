package org.conpaas.agent.core.http;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.Test;

/** The node's load is the agent's process and its descendants: a child's memory and CPU time count. */
public class MetricsTest {

    @Test
    public void theProcessTreeIsCounted() throws Exception {
        Map<String, Object> alone = Metrics.current(Map.of("requests_total", 7.0));
        assertEquals(Map.of("requests_total", 7.0), alone.get("service"));
        long cpuBefore = ((Number) alone.get("processCpuMillis")).longValue();
        assertTrue(alone.toString(), ((Number) alone.get("processRssKb")).longValue() > 0);
        assertTrue(alone.toString(), ((Number) alone.get("memTotalKb")).longValue() > 0);
        assertTrue(alone.toString(), ((Number) alone.get("cpus")).intValue() >= 1);
        Process child = new ProcessBuilder("sleep", "30").start();
        try {
            Map<String, Object> withChild = Metrics.current(Map.of());
            assertEquals(((Number) alone.get("processes")).intValue() + 1,
                    ((Number) withChild.get("processes")).intValue());
            assertTrue(((Number) withChild.get("processCpuMillis")).longValue() >= cpuBefore);
        } finally {
            child.destroy();
            child.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
