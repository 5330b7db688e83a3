package org.conpaas.itests;

import static org.conpaas.itests.DirectorTestSupport.agentProcess;
import static org.conpaas.itests.DirectorTestSupport.agentProcesses;
import static org.conpaas.itests.DirectorTestSupport.eventually;
import static org.conpaas.itests.DirectorTestSupport.helloLines;
import static org.conpaas.itests.DirectorTestSupport.json;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import org.conpaas.itests.DirectorTestSupport.Api;
import org.junit.Test;

/**
 * A director restart keeps everything a user created, and the nodes keep running through it: a helloworld service,
 * and a MySQL service whose database serves a client while the director is down and is re-attached after. Not Pax Exam: the
 * test unpacks the distribution itself and drives bin/start and bin/stop, exactly as an operator would.
 */
public class RestartPersistenceIT {

    private static final Duration BOOT = Duration.ofSeconds(150);
    private static final int MYSQL_PORT = 3306;

    @Test
    public void applicationsServicesAndNodesSurviveARestart() throws Exception {
        DistributionProcess director = DistributionProcess.unpack("restart-it");
        director.configure("org.conpaas.service.mysql.cfg", "volumeMb", "256");   // the smallest: a quick mkfs
        Path home = director.home;
        Api api = new Api(director.httpPort, home.resolve("data"));
        List<Long> agentPids = new ArrayList<>();
        long appId = -1;
        boolean passed = false;
        try {
            director.start();
            eventually("REST API up after the first start", BOOT, () -> api.isUpForGood(director.httpsPort));
            // the class-data-sharing archive the build trained and shipped (bin/setenv) serves the very first start
            Path classes = director.classArchive()
                    .orElseThrow(() -> new AssertionError("no class archive shipped in " + home.resolve("data/cds")));
            assertTrue("the first start maps the shipped class archive " + classes, director.maps(classes));

            JsonNode app = api.post("/applications", json("name", "survivor")).ok();
            appId = app.path("id").asLong();
            String a = "/applications/" + appId;
            api.post(a + "/start", json()).ok();
            eventually("application RUNNING", Duration.ofSeconds(90),
                    () -> "RUNNING".equals(api.get(a).ok().path("state").asText()));
            int svcId = api.post(a + "/services", json("type", "helloworld", "name", "hw")).ok().path("id").asInt();
            String s = a + "/services/" + svcId;
            assertEquals("RUNNING", api.post(s + "/start?wait=90", json()).ok().path("state").asText());
            assertEquals("RUNNING", api.post(s + "/nodes?wait=90", json("roles", Map.of("node", 1))).ok()
                    .path("state").asText());

            Map<String, Long> before = nodePids(api, s, appId, home);
            assertEquals("two nodes: " + before, 2, before.size());
            // and the agents' archive it shipped serves the very first nodes (the director copies it into the share)
            for (long agent : before.values()) {
                assertTrue("agent " + agent + " maps the shipped agent archive",
                        DistributionProcess.mapsFileEndingIn(agent, "/conpaas-agent/lib/agent.jsa"));
            }
            agentPids.addAll(before.values());
            JsonNode appBefore = api.get(a).ok();
            JsonNode svcBefore = api.get(s).ok();

            // a MySQL service with a row: its cluster must not notice the director's restart
            int dbId = api.post(a + "/services", json("type", "mysql", "name", "db")).ok().path("id").asInt();
            String d = a + "/services/" + dbId;
            assertEquals("RUNNING", api.post(d + "/start?wait=150", json()).ok().path("state").asText());
            String password = api.post(d + "/operations/get_password", json()).ok().path("password").asText();
            Map<String, Long> dbBefore = nodePids(api, d, appId, home);
            agentPids.addAll(dbBefore.values());
            String dbHost = api.get(d + "/nodes").ok().get(0).path("address").asText();
            try (Connection c = MysqlClients.connect(dbHost, MYSQL_PORT, "mysqldb", password)) {
                MysqlClients.execute(c, "CREATE DATABASE kept", "CREATE TABLE kept.t (id INT PRIMARY KEY)",
                        "INSERT INTO kept.t VALUES (1)");
            }

            director.stop();
            for (long pid : before.values()) {
                assertTrue("agent " + pid + " keeps running while the director is down",
                        ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
            }
            try (Connection c = MysqlClients.connect(dbHost, MYSQL_PORT, "mysqldb", password)) {
                MysqlClients.execute(c, "INSERT INTO kept.t VALUES (2)");   // the database serves without the director
            }

            director.start();
            eventually("REST API up after the restart", BOOT, () -> api.isUpForGood(director.httpsPort));
            assertTrue("the restarted director maps the same class archive " + classes, director.maps(classes));

            JsonNode appAfter = api.get(a).ok();
            assertEquals(appBefore.path("name"), appAfter.path("name"));
            assertEquals(appBefore.path("state"), appAfter.path("state"));
            assertEquals(appBefore.path("created"), appAfter.path("created"));
            eventually("service RUNNING again", Duration.ofSeconds(60),
                    () -> "RUNNING".equals(api.get(s).ok().path("state").asText()));
            JsonNode svcAfter = api.get(s).ok();
            assertEquals(svcBefore.path("name"), svcAfter.path("name"));
            assertEquals(svcBefore.path("type"), svcAfter.path("type"));
            assertEquals(svcBefore.path("nodes"), svcAfter.path("nodes"));

            Map<String, Long> after = nodePids(api, s, appId, home);
            assertEquals("same nodes, same agent processes (not restarted)", before, after);
            List<String> lines = helloLines(api.post(s + "/operations/get_helloworld", json()).ok());
            assertEquals("lines: " + lines, 2, lines.size());
            Set<String> fromNodes = new HashSet<>();
            for (String line : lines) {
                fromNodes.add(line.replace("Received helloworld from ", ""));
            }
            assertEquals(before.keySet(), fromNodes);

            // the MySQL service re-attached: same node and agent, both rows, operations answer from the node
            eventually("mysql service RUNNING again", Duration.ofSeconds(60),
                    () -> "RUNNING".equals(api.get(d).ok().path("state").asText()));
            assertEquals(dbBefore, nodePids(api, d, appId, home));
            try (Connection c = MysqlClients.connect(dbHost, MYSQL_PORT, "mysqldb", password)) {
                assertEquals(List.of("1", "2"), MysqlClients.column(c, "SELECT id FROM kept.t ORDER BY id"));
                assertEquals(List.of("1"), MysqlClients.column(c,
                        "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS"
                                + " WHERE VARIABLE_NAME = 'wsrep_cluster_size'"));
            }
            String dbNode = dbBefore.keySet().iterator().next();
            JsonNode nodeInfo = api.post(d + "/operations/get_node_info", json("nodeId", dbNode)).ok();
            assertTrue(nodeInfo.toString(), nodeInfo.toString().contains("Synced"));
            assertEquals("STOPPED", api.post(d + "/stop?wait=90", json()).ok().path("state").asText());

            assertEquals("STOPPED", api.post(s + "/stop?wait=90", json()).ok().path("state").asText());
            long id = appId;
            eventually("no agent left after stop", Duration.ofSeconds(30), () -> agentProcesses(id, home).isEmpty());
            passed = true;
        } finally {
            try {
                director.stop();
            } finally {
                if (appId >= 0) {
                    agentProcesses(appId, home).forEach(p -> agentPids.add(p.pid()));
                }
                DirectorTestSupport.killAll(agentPids);
                if (passed) {
                    director.delete();   // kept on failure: data/log/karaf.log tells why
                }
            }
        }
    }

    /** Node id → PID of its agent process, for every node of the service (each must have one). */
    private static Map<String, Long> nodePids(Api api, String service, long appId, Path home) {
        Map<String, Long> pids = new LinkedHashMap<>();
        for (JsonNode n : api.get(service + "/nodes").ok()) {
            assertEquals(n.toString(), "RUNNING", n.path("status").asText());
            String id = n.path("id").asText();
            pids.put(id, agentProcess(id, appId, n.path("address").asText(), home)
                    .orElseThrow(() -> new AssertionError("no agent process for " + n)).pid());
        }
        return pids;
    }
}
