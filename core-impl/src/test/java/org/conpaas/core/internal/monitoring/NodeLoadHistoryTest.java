package org.conpaas.core.internal.monitoring;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.Test;

/** CPU is the difference between samples; the history keeps one hour and a bounded count. */
public class NodeLoadHistoryTest {

    private final NodeLoadHistory history = new NodeLoadHistory(
            new NodeLoadHistory.Labels("alice", 1, "shop", "web", "php", "backend"));
    private final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    public void cpuIsThePercentOfOneCpuSinceTheSampleBefore() {
        history.add(t0, 5_000, 10_240);
        history.add(t0.plusSeconds(10), 10_000, 20_480); // 5 s of CPU in 10 s
        history.add(t0.plusSeconds(20), 30_000, 20_480); // 20 s in 10 s: two CPUs busy
        history.add(t0.plusSeconds(30), 1_000, 20_480);  // the agent restarted: no figure
        NodeLoad load = history.view("n1");
        assertEquals(4, load.samples().size());
        assertNull(load.samples().get(0).cpuPercent());
        assertEquals(50.0, load.samples().get(1).cpuPercent(), 0.001);
        assertEquals(200.0, load.samples().get(2).cpuPercent(), 0.001);
        assertNull(load.samples().get(3).cpuPercent());
        assertEquals(10.0, load.samples().get(0).memoryMb(), 0.001);
        assertEquals(20.0, load.samples().get(1).memoryMb(), 0.001);
        assertEquals("alice", load.owner());
        assertEquals(1_000, load.cpuMillisTotal());
    }

    @Test
    public void onlyTheLastHourIsKept() {
        for (int i = 0; i <= 70; i++) {
            history.add(t0.plus(Duration.ofMinutes(i)), i * 1000L, 1024);
        }
        NodeLoad load = history.view("n1");
        assertEquals(61, load.samples().size());
        assertEquals(t0.plus(Duration.ofMinutes(10)), load.samples().get(0).time());
    }

    @Test
    public void theCountIsBoundedWhateverThePeriod() {
        for (int i = 0; i < NodeLoadHistory.MAX_SAMPLES + 500; i++) {
            history.add(t0.plusMillis(i * 100L), i, 1024);
        }
        assertEquals(NodeLoadHistory.MAX_SAMPLES, history.view("n1").samples().size());
    }

    @Test
    public void countersAreChartedPerSecondAndGaugesAsTheyAre() {
        history.add(t0, 0, 1024, Map.of("requests_total", 100.0, "slots_available", 4.0));
        history.add(t0.plusSeconds(10), 0, 1024, Map.of("requests_total", 350.0, "slots_available", 2.0));
        history.add(t0.plusSeconds(20), 0, 1024, Map.of("requests_total", 5.0)); // the server restarted
        NodeLoad load = history.view("n1");
        assertEquals(Map.of("slots_available", 4.0), load.samples().get(0).figures());
        assertEquals(Map.of("requests_per_second", 25.0, "slots_available", 2.0), load.samples().get(1).figures());
        assertEquals(Map.of(), load.samples().get(2).figures());
        assertEquals("Prometheus gets the counter itself", Map.of("requests_total", 5.0), load.figuresNow());
    }
}
