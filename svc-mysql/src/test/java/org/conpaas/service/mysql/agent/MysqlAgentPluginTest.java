package org.conpaas.service.mysql.agent;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.conpaas.service.mysql.MysqlOperations;
import org.conpaas.service.testing.LoopbackNodes;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The MySQL agent plug-in with the real MariaDB, Galera and HAProxy: nodes 1-3 form a Galera cluster, each with its
 * own mariadbd on its own loopback address; node 4 is a glb in front of them.
 */
public class MysqlAgentPluginTest {

    private static final String PASSWORD = "userPassw0rd";
    private static final String MONITOR = "monitorPassw0rd";
    private static final String ROOT = "rootPassw0rd";

    private LoopbackNodes<MysqlAgentPlugin> nodes;
    private MysqlAgentPlugin first;

    @Before
    public void bootstrap() throws Exception {
        nodes = new LoopbackNodes<>("mysql", MysqlAgentPlugin::new);
        first = nodes.node(1);
        Object status = first.invoke(MysqlOperations.START_MYSQL, start(true, 1), Map.of());
        assertEquals(status.toString(), "Synced", ((Map<?, ?>) status).get("state"));
        first.invoke(MysqlOperations.SETUP_ACCOUNTS, Map.of(MysqlOperations.PASSWORD, PASSWORD,
                MysqlOperations.MONITOR_PASSWORD, MONITOR), Map.of());
    }

    @After
    public void stopNodes() throws Exception {
        if (nodes != null) {
            nodes.close();
        }
    }

    private Map<String, Object> start(boolean bootstrap, int count) {
        List<String> peers = new java.util.ArrayList<>();
        for (int i = 1; i <= count; i++) {
            peers.add(nodes.address(i));
        }
        return Map.of(MysqlOperations.BOOTSTRAP, bootstrap, MysqlOperations.PEERS, peers,
                MysqlOperations.CLUSTER_NAME, "test-cluster", MysqlOperations.ROOT_PASSWORD, ROOT,
                MysqlOperations.SETTINGS, Map.of());
    }

    private Connection connect(int node, String password) throws SQLException {
        return Jdbc.connect(nodes.address(node), MysqlOperations.MYSQL_PORT, MysqlOperations.USER, password);
    }

    @Test
    public void threeNodesReplicateAndTheGlbSendsClientsOnlyToSyncedNodes() throws Exception {
        try (Connection c = connect(1, PASSWORD)) {
            Jdbc.execute(c, "CREATE DATABASE shop", "CREATE TABLE shop.item (id INT PRIMARY KEY, name TEXT)",
                    "INSERT INTO shop.item VALUES (1, 'one')");
            assertEquals("no anonymous users, no other root than the socket's", List.of("localhost"),
                    Jdbc.column(c, "SELECT Host FROM mysql.user WHERE User = 'root' OR User = ''"));
            assertEquals(List.of(), Jdbc.column(c, "SHOW DATABASES LIKE 'test'"));
        }
        assertThrows("root is not reachable over TCP", SQLException.class,
                () -> Jdbc.connect(nodes.address(1), MysqlOperations.MYSQL_PORT, "root", ROOT).close());

        MysqlAgentPlugin second = null;
        for (int n = 2; n <= 3; n++) {
            MysqlAgentPlugin joiner = nodes.node(n);
            Object status = joiner.invoke(MysqlOperations.START_MYSQL, start(false, n), Map.of());
            assertEquals(status.toString(), n, ((Map<?, ?>) status).get("clusterSize"));
            second = n == 2 ? joiner : second;
        }
        try (Connection c = connect(3, PASSWORD)) {
            assertEquals("the joiner got the state", List.of("one"), Jdbc.column(c, "SELECT name FROM shop.item"));
            Jdbc.execute(c, "INSERT INTO shop.item VALUES (3, 'three')");
        }
        // node 3's insert is on node 2 once catch_up answers
        second.invoke(MysqlOperations.CATCH_UP, Map.of(), Map.of());
        try (Connection c = connect(2, PASSWORD)) {
            assertEquals(List.of("one", "three"), Jdbc.column(c, "SELECT name FROM shop.item ORDER BY id"));
        }

        MysqlAgentPlugin glb = nodes.node(4);
        glb.invoke(MysqlOperations.START_GLB, Map.of(MysqlOperations.BACKENDS,
                List.of(nodes.address(1), nodes.address(2), nodes.address(3)),
                MysqlOperations.MONITOR_PASSWORD, MONITOR), Map.of());
        assertEquals(Set.of("node-1", "node-2", "node-3"), servedBy(4, 30));

        // node 3's mariadbd dies: the health check takes it out
        long deadline = System.nanoTime() + 20_000_000_000L;
        killMysqld(3);
        Set<String> names = Set.of();
        while (System.nanoTime() < deadline) {
            names = servedBy(4, 12);
            if (names.equals(Set.of("node-1", "node-2"))) {
                break;
            }
            Thread.sleep(300);
        }
        assertEquals(Set.of("node-1", "node-2"), names);
        Map<?, ?> dead = (Map<?, ?>) nodes.replacement(3).invoke(MysqlOperations.STATUS, Map.of(), Map.of());
        assertEquals(dead.toString(), false, dead.get("running"));
        assertTrue(dead.toString(), String.valueOf(dead.get("reason")).startsWith("mariadbd is not running"));
    }

    @Test
    public void theSurvivorOfATwoNodeClusterBecomesPrimaryAgain() throws Exception {
        MysqlAgentPlugin second = nodes.node(2);
        second.invoke(MysqlOperations.START_MYSQL, start(false, 2), Map.of());
        killMysqld(2);
        // at once, as the director does: make_primary waits until Galera notices that node 2 is gone (then the
        // survivor is non-Primary: one of two is no quorum) and only then makes it the primary component again
        Map<?, ?> status = (Map<?, ?>) first.invoke(MysqlOperations.MAKE_PRIMARY, Map.of(MysqlOperations.MEMBERS, 1),
                Map.of());
        assertEquals(status.toString(), "Primary", status.get("clusterStatus"));
        assertEquals(1, status.get("clusterSize"));
        try (Connection c = connect(1, PASSWORD)) {
            Jdbc.execute(c, "CREATE DATABASE after_failure");
        }
    }

    @Test
    public void passwordParamsDumpsAndLoad() throws Exception {
        first.invoke(MysqlOperations.SET_PASSWORD, Map.of(MysqlOperations.PASSWORD, "n3w'Pass\\word"), Map.of());
        assertThrows(SQLException.class, () -> connect(1, PASSWORD).close());
        try (Connection c = connect(1, "n3w'Pass\\word")) {
            assertEquals(List.of("1"), Jdbc.column(c, "SELECT 1"));
        }

        assertEquals(Map.of("max_connections", "222"), first.invoke(MysqlOperations.SET_PARAMS,
                Map.of(MysqlOperations.SETTINGS, Map.of("max_connections", 222)), Map.of()));
        try (Connection c = connect(1, "n3w'Pass\\word")) {
            assertEquals(List.of("222"), Jdbc.column(c, "SELECT @@max_connections"));
        }
        assertTrue(Files.readString(nodes.base.resolve("node-1/mysql/my.cnf")).contains("max_connections=222"));
        assertThrows(RuntimeException.class, () -> first.invoke(MysqlOperations.SET_PARAMS,
                Map.of(MysqlOperations.SETTINGS, Map.of("wsrep_provider", "/tmp/x.so")), Map.of()));

        Path dump = Files.createTempFile(nodes.base, "dump", ".sql");
        Files.writeString(dump, "CREATE DATABASE lib;\nCREATE TABLE lib.book (id INT PRIMARY KEY, title TEXT);\n"
                + "INSERT INTO lib.book VALUES (1, 'Dune'), (2, 'Emma');\n");
        first.invoke(MysqlOperations.LOAD_DUMP, Map.of(), Map.of(MysqlOperations.DUMP, dump));
        Map<?, ?> exported = (Map<?, ?>) first.invoke(MysqlOperations.SQLDUMP, Map.of(), Map.of());
        assertEquals(List.of("lib"), exported.get("databases"));
        String text = (String) exported.get(MysqlOperations.DUMP);
        assertTrue(text, text.contains("INSERT INTO `book` VALUES") && text.contains("(1,'Dune')")
                && text.contains("(2,'Emma')"));

        try (Connection c = connect(1, "n3w'Pass\\word")) {
            Jdbc.execute(c, "DROP DATABASE lib");
        }
        Path again = Files.createTempFile(nodes.base, "again", ".sql");
        Files.writeString(again, text);
        first.invoke(MysqlOperations.LOAD_DUMP, Map.of(), Map.of(MysqlOperations.DUMP, again));
        try (Connection c = connect(1, "n3w'Pass\\word")) {
            assertEquals("the dump round-trips", List.of("Dune", "Emma"),
                    Jdbc.column(c, "SELECT title FROM lib.book ORDER BY id"));
        }

        Path broken = Files.createTempFile(nodes.base, "broken", ".sql");
        Files.writeString(broken, "CREATE TABLE lib.ok (id INT);\nCREATE TABLOID nonsense;\n");
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> first.invoke(MysqlOperations.LOAD_DUMP, Map.of(), Map.of(MysqlOperations.DUMP, broken)));
        assertTrue(refused.getMessage(), refused.getMessage().contains("line 2: CREATE TABLOID nonsense;"));

        Map<?, ?> load = (Map<?, ?>) first.invoke(MysqlOperations.LOAD, Map.of(MysqlOperations.SECONDS, 1),
                Map.of());
        assertTrue(load.toString(), load.containsKey("com_select_per_second")
                && load.containsKey("wsrep_local_recv_queue_avg"));
    }

    /** The wsrep node names that answer {@code tries} fresh connections through node {@code glb}. */
    private Set<String> servedBy(int glb, int tries) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < tries; i++) {
            try (Connection c = connect(glb, PASSWORD)) {
                names.addAll(Jdbc.column(c, "SELECT @@wsrep_node_name"));
            } catch (SQLException e) {
                names.add("failed: " + e.getMessage());
            }
        }
        return names;
    }

    private void killMysqld(int node) throws Exception {
        Path pidFile = nodes.base.resolve("node-" + node + "/mysql/run/mysqld.pid");
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
    }
}
