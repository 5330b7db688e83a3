package org.conpaas.core.rest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.conpaas.api.model.UserInfo;
import org.conpaas.core.internal.monitoring.LoadSample;
import org.conpaas.core.internal.monitoring.NodeLoad;
import org.conpaas.core.internal.monitoring.NodeLoads;
import org.conpaas.core.rest.RestHarness.Reply;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** The charts' data is a service's own nodes; Prometheus sees one's own nodes, an administrator every node. */
public class LoadResourceTest {

    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    private FakeDirector director;
    private RestHarness rest;

    @Before
    public void start() throws Exception {
        director = new FakeDirector();
        rest = new RestHarness(director, "alice");
        director.accounts.put("alice", new UserInfo("alice", "alice@example.org", null, null, null, 50,
                Set.of(UserInfo.ROLE_USER), T));
        director.accounts.put("root", new UserInfo("root", "root@example.org", null, null, null, 50,
                Set.of(UserInfo.ROLE_ADMIN), T));
        List<NodeLoad> all = List.of(
                new NodeLoad("n1", "alice", 1, "shop", "hello", "helloworld", "backend", 12_500,
                        List.of(new LoadSample(T, null, 40.5), new LoadSample(T.plusSeconds(10), 25.0, 41.0))),
                new NodeLoad("n7", "bob", 2, "other\"app", "web", "php", "proxy", 1_000,
                        List.of(new LoadSample(T, null, 10, Map.of("requests_per_second", 3.5))),
                        Map.of("requests_total", 1234.0)));
        rest.loads = new NodeLoads() {
            @Override
            public List<NodeLoad> of(Collection<String> nodeIds) {
                return all.stream().filter(l -> nodeIds.contains(l.node())).toList();
            }

            @Override
            public List<NodeLoad> all() {
                return all;
            }

            @Override
            public Duration period() {
                return Duration.ofSeconds(10);
            }
        };
    }

    @After
    public void stop() throws Exception {
        rest.close();
    }

    @Test
    public void aServiceLoadIsItsNodesSamples() throws Exception {
        assertEquals(201, rest.post("/api/v1/applications", "{\"name\":\"shop\"}").status());
        assertEquals(201, rest.post("/api/v1/applications/shop/services", "{\"type\":\"helloworld\"}").status());
        Reply none = rest.get("/api/v1/applications/shop/services/1/load");
        assertEquals(none.body(), 200, none.status());
        assertEquals(0, none.json().get("nodes").size());
        rest.post("/api/v1/applications/shop/services/1/start?wait=5", null);
        JsonNode load = rest.get("/api/v1/applications/shop/services/1/load").json();
        assertEquals(10, load.get("periodSeconds").asInt());
        assertEquals(1, load.get("nodes").size());
        JsonNode node = load.get("nodes").get(0);
        assertEquals("n1", node.get("node").asText());
        assertEquals("backend", node.get("role").asText());
        assertTrue(node.at("/samples/0/cpuPercent").isNull());
        assertEquals(25.0, node.at("/samples/1/cpuPercent").asDouble(), 0.001);
        assertEquals(41.0, node.at("/samples/1/memoryMb").asDouble(), 0.001);
        assertEquals(404, rest.get("/api/v1/applications/other/services/1/load").status());
        Reply asRoot = rest.withAuthorization(RestHarness.basic("root", RestHarness.password("root")), "GET",
                "/api/v1/applications/shop/services/1/load");
        assertEquals("another user's service is not found", 404, asRoot.status());
    }

    @Test
    public void prometheusSeesOwnNodesAndAdministratorsAll() throws Exception {
        String mine = rest.get("/api/v1/metrics").body();
        assertTrue(mine, mine.contains("conpaas_node_cpu_seconds_total{owner=\"alice\",application=\"shop\","
                + "application_id=\"1\",service=\"hello\",type=\"helloworld\",role=\"backend\",node=\"n1\"} 12.500"));
        assertTrue(mine, mine.contains("conpaas_node_memory_bytes{owner=\"alice\""));
        assertTrue(mine, mine.contains("} 42991616.000"));
        assertTrue(mine, mine.contains("conpaas_nodes 1\n"));
        assertFalse("bob's node is not alice's business", mine.contains("n7") || mine.contains("bob"));
        String all = rest.withAuthorization(RestHarness.basic("root", RestHarness.password("root")), "GET",
                "/api/v1/metrics").body();
        assertTrue(all, all.contains("node=\"n7\""));
        assertTrue("label values are escaped", all.contains("application=\"other\\\"app\""));
        assertTrue(all, all.contains("conpaas_nodes 2\n"));
        assertTrue("a service type's counter", all.contains("# TYPE conpaas_node_requests_total counter\n"
                + "conpaas_node_requests_total{owner=\"bob\",application=\"other\\\"app\",application_id=\"2\","
                + "service=\"web\",type=\"php\",role=\"proxy\",node=\"n7\"} 1234.000\n"));
        assertFalse("nor is bob's figure", mine.contains("requests_total"));
    }

    @Test
    public void prometheusFindsTheSameAtTheRootMetricsPath() throws Exception {
        Reply root = rest.get("/metrics");
        assertEquals(root.body(), 200, root.status());
        assertEquals(rest.get("/api/v1/metrics").body(), root.body());
        assertFalse("bob's node is not alice's business", root.body().contains("n7"));
        Reply anonymous = rest.withAuthorization(null, "GET", "/metrics");
        assertEquals("a login, as at /api/v1/metrics", 401, anonymous.status());
    }
}
