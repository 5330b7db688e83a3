package org.conpaas.itests;

import static org.conpaas.itests.DirectorTestSupport.eventually;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.inject.Inject;
import javax.security.auth.Subject;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.conpaas.api.ConflictException;
import org.conpaas.api.InvalidInputException;
import org.conpaas.api.State;
import org.conpaas.api.director.Director;
import org.conpaas.api.model.NodeInfo;
import org.conpaas.api.model.ServiceInfo;
import org.conpaas.api.model.UploadedFile;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TestWatcher;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.exam.util.Filter;

/**
 * The MySQL service on real nodes of the local cloud (MariaDB + Galera, HAProxy), driven through the director and
 * used with MariaDB Connector/J: a one-node service, a glb in front, two mysql nodes added while a client writes
 * through the glb without a failed insert, a mysql node removed while the client writes (reconnecting) without a lost
 * or doubled row, dumps, and the refusals that change nothing.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class MysqlIT {
    private static final String USER = "admin";
    private static final Duration SETTLE = Duration.ofSeconds(180);
    private static final int PORT = 3306;

    @Inject
    @Filter(timeout = 120_000)
    private Director director;

    @Inject
    private SessionFactory sessionFactory;

    @Before
    public void awaitDirectorReady() throws Exception {
        DirectorTestSupport.awaitReady(director);
    }

    @Rule
    public TestWatcher keepLog = DirectorTestSupport.keepLogOnFailure();

    @Configuration
    public Option[] config() {
        return OptionUtils.combine(DirectorTestSupport.distribution("mysql"),
                editConfigurationFilePut("etc/org.conpaas.service.mysql.cfg", "volumeMb", "256"),
                editConfigurationFilePut("etc/org.conpaas.director.cfg", "loadSamplePeriodSeconds", "2"),
                mavenBundle("org.mariadb.jdbc", "mariadb-java-client", System.getProperty("mariadb.client.version")));
    }

    @Test
    public void galeraClusterScaledUnderWritesThroughTheGlb() throws Exception {
        eventually("the mysql type is installed", Duration.ofSeconds(60),
                () -> director.serviceTypes().stream().anyMatch(t -> t.name().equals("mysql")));
        String a = String.valueOf(director.createApplication(USER, "mysql-it").id());
        try {
            director.startApplication(USER, a);
            String s = String.valueOf(director.addService(USER, a, "mysql", "db").id());
            director.startService(USER, a, s, null);
            ServiceInfo started = director.awaitSettled(USER, a, s, SETTLE);
            assertEquals(started.stateReason(), State.RUNNING, started.state());
            NodeInfo first = nodes(a, s, "mysql").get(0);
            assertEquals("mysql://" + first.address() + ":" + PORT, started.url());
            String password = (String) ((Map<?, ?>) invoke(a, s, "get_password", Map.of())).get("password");
            Map<?, ?> info = (Map<?, ?>) invoke(a, s, "get_service_info", Map.of());
            assertEquals("mysql -h " + first.address() + " -P 3306 -u mysqldb -p", info.get("connect"));
            assertTrue("mariadbd runs as the node's account, not root", mysqldUid(first) > 0);

            try (Connection c = MysqlClients.connect(first.address(), PORT, "mysqldb", password)) {
                MysqlClients.execute(c, "CREATE DATABASE app", "CREATE TABLE app.t (id INT PRIMARY KEY, note TEXT)");
            }
            assertThrows("root only through the node's socket", java.sql.SQLException.class,
                    () -> MysqlClients.connect(first.address(), PORT, "root", "").close());

            director.addNodes(USER, a, s, Map.of("glb", 1), null);
            assertEquals(State.RUNNING, director.awaitSettled(USER, a, s, SETTLE).state());
            NodeInfo glb = nodes(a, s, "glb").get(0);
            assertEquals("the glb is the service's entry", "mysql://" + glb.address() + ":" + PORT,
                    director.service(USER, a, s).url());

            try (MysqlClients.Writer writer = new MysqlClients.Writer(glb.address(), PORT, password, "app.t")) {
                writer.awaitMore(20, 30_000);
                director.addNodes(USER, a, s, Map.of("mysql", 2), null);
                ServiceInfo grown = director.awaitSettled(USER, a, s, SETTLE);
                assertEquals(grown.stateReason(), State.RUNNING, grown.state());
                writer.awaitMore(20, 30_000);
                writer.close();
                assertEquals("no insert failed while two nodes joined", List.of(), writer.failures);
                // the first node alone took the first 20 inserts: the director's samples count them
                DirectorTestSupport.awaitNodeMetric("conpaas_node_transactions_total", first.id(), 20,
                        Duration.ofSeconds(30));
                DirectorTestSupport.awaitNodeMetric("conpaas_node_queries_total", first.id(), 20,
                        Duration.ofSeconds(30));
                List<NodeInfo> mysqls = nodes(a, s, "mysql");
                assertEquals(3, mysqls.size());
                for (NodeInfo node : mysqls) {
                    try (Connection c = MysqlClients.connect(node.address(), PORT, "mysqldb", password)) {
                        assertEquals(node.id(), List.of("3"), status(c, "wsrep_cluster_size"));
                        assertEquals("every row on " + node.id(), new TreeSet<>(writer.committed), ids(c));
                        assertTrue("the data on the node's own volume: " + datadir(c), datadir(c).endsWith("/media/"
                                + node.id() + "-data/mysql/"));
                    }
                }
                assertEquals("a volume of its own per mysql node, none for the glb", volumesOf(mysqls),
                        director.volumes(USER, a, s).stream().map(v -> v.name() + " " + v.sizeMb() + " " + v.node())
                                .collect(Collectors.toSet()));
            }

            try (MysqlClients.Writer writer = new MysqlClients.Writer(glb.address(), PORT, password, "app.t")) {
                writer.awaitMore(20, 30_000);
                // the original's remove_specific_nodes: the middle one, not the newest
                String middle = nodes(a, s, "mysql").get(1).id();
                director.removeChosenNodes(USER, a, s, List.of(middle));
                ServiceInfo shrunk = director.awaitSettled(USER, a, s, SETTLE);
                assertEquals(shrunk.stateReason(), State.RUNNING, shrunk.state());
                writer.awaitMore(20, 30_000);
                writer.close();
                List<NodeInfo> mysqls = nodes(a, s, "mysql");
                assertEquals(2, mysqls.size());
                assertFalse(middle + " removed", mysqls.stream().anyMatch(n -> n.id().equals(middle)));
                assertEquals("the removed node's volume went with it", volumesOf(mysqls), director.volumes(USER, a, s)
                        .stream().map(v -> v.name() + " " + v.sizeMb() + " " + v.node()).collect(Collectors.toSet()));
                for (NodeInfo node : mysqls) {
                    try (Connection c = MysqlClients.connect(node.address(), PORT, "mysqldb", password)) {
                        assertEquals(List.of("2"), status(c, "wsrep_cluster_size"));
                        Set<Integer> rows = ids(c);
                        assertTrue("no committed row lost on " + node.id(), rows.containsAll(writer.committed));
                        assertEquals("the table holds exactly the committed rows (ids are keys: no doubles)",
                                rows.size(), countRows(c));
                    }
                }
            }

            refusalsChangeNothing(a, s, password);
            dumpsRoundTrip(a, s, glb);
            shellCommands(a, s);
            assertEquals(Map.of("mysql", nodes(a, s, "mysql").stream().map(NodeInfo::id).toList(),
                    "glb", List.of(glb.id())), invoke(a, s, "list_nodes", Map.of()));
            Map<?, ?> load = (Map<?, ?>) invoke(a, s, "get_mean_load", Map.of());
            assertEquals(load.toString(), 2, ((Map<?, ?>) load.get("nodes")).size());
            assertTrue(load.toString(), ((Map<?, ?>) load.get("mean")).containsKey("com_insert_per_second"));
        } finally {
            try {
                director.stopApplication(USER, a);
                director.deleteApplication(USER, a);
            } catch (RuntimeException cleanupFailure) {
                // the assertions above are what matters; leftovers end with the container
            }
        }
    }

    /** Two services of one application talking: a PHP page lists rows of the MySQL service, reached through its info. */
    @Test
    public void aPhpPageReadsTheMysqlService() throws Exception {
        eventually("the mysql and php types are installed", Duration.ofSeconds(60),
                () -> director.serviceTypes().stream().filter(t -> Set.of("mysql", "php").contains(t.name()))
                        .count() == 2);
        String a = String.valueOf(director.createApplication(USER, "wordpress-like").id());
        try {
            director.startApplication(USER, a);
            String db = String.valueOf(director.addService(USER, a, "mysql", "db").id());
            String web = String.valueOf(director.addService(USER, a, "php", "site").id());
            director.startService(USER, a, db, null);
            director.startService(USER, a, web, null);
            assertEquals(State.RUNNING, director.awaitSettled(USER, a, db, SETTLE).state());
            ServiceInfo site = director.awaitSettled(USER, a, web, SETTLE);
            assertEquals(site.stateReason(), State.RUNNING, site.state());

            Map<?, ?> info = (Map<?, ?>) invoke(a, db, "get_service_info", Map.of());
            String password = (String) ((Map<?, ?>) invoke(a, db, "get_password", Map.of())).get("password");
            try (Connection c = MysqlClients.connect((String) info.get("host"), PORT, "mysqldb", password)) {
                MysqlClients.execute(c, "CREATE DATABASE blog", "CREATE TABLE blog.post (id INT PRIMARY KEY, "
                        + "title TEXT)", "INSERT INTO blog.post VALUES (1, 'Hello'), (2, 'World')");
            }
            String config = "<?php return ['host' => '" + info.get("host") + "', 'port' => " + info.get("port")
                    + ", 'user' => '" + info.get("user") + "', 'password' => '" + password + "'];\n";
            String page = """
                    <?php
                    $c = require __DIR__ . '/config.php';
                    $db = new mysqli($c['host'], $c['user'], $c['password'], 'blog', $c['port']);
                    $titles = [];
                    foreach ($db->query('SELECT title FROM post ORDER BY id') as $row) { $titles[] = $row['title']; }
                    echo implode(',', $titles);
                    """;
            Path code = WebTraffic.zip(Map.of("config.php", config, "posts.php", page));
            String version = director.uploadCode(USER, a, web, new UploadedFile("file", "blog.zip", code), "blog")
                    .id();
            director.activateCode(USER, a, web, version);
            assertEquals(State.RUNNING, director.awaitSettled(USER, a, web, SETTLE).state());
            assertEquals("Hello,World", new WebTraffic.Browser().get(site.url() + "posts.php").body());
        } finally {
            try {
                director.stopApplication(USER, a);
                director.deleteApplication(USER, a);
            } catch (RuntimeException cleanupFailure) {
                // the assertions above are what matters
            }
        }
    }

    /**
     * The agent of one of three mysql nodes dies (kill -9 of its process group): the node becomes FAILED, the director
     * adds a replacement that joins the cluster, and every row written before is on every running node.
     */
    @Test
    public void aFailedMysqlNodeIsReplacedAndTheClusterKeepsItsRows() throws Exception {
        eventually("the mysql type is installed", Duration.ofSeconds(60),
                () -> director.serviceTypes().stream().anyMatch(t -> t.name().equals("mysql")));
        String a = String.valueOf(director.createApplication(USER, "mysql-failover").id());
        try {
            director.startApplication(USER, a);
            String s = String.valueOf(director.addService(USER, a, "mysql", "db").id());
            director.startService(USER, a, s, null);
            assertEquals(State.RUNNING, director.awaitSettled(USER, a, s, SETTLE).state());
            director.addNodes(USER, a, s, Map.of("mysql", 2), null);
            assertEquals(State.RUNNING, director.awaitSettled(USER, a, s, SETTLE).state());
            String password = (String) ((Map<?, ?>) invoke(a, s, "get_password", Map.of())).get("password");
            List<NodeInfo> before = nodes(a, s, "mysql");
            try (Connection c = MysqlClients.connect(before.get(0).address(), PORT, "mysqldb", password)) {
                MysqlClients.execute(c, "CREATE DATABASE app", "CREATE TABLE app.t (id INT PRIMARY KEY, note TEXT)",
                        "INSERT INTO app.t VALUES (1, 'a'), (2, 'b')");
            }
            NodeInfo victim = before.get(2);
            // mariadbd dies while its agent lives: the node shows it (still RUNNING, with the reason)
            ProcessHandle.of(mysqldPid(victim)).orElseThrow().destroyForcibly();
            eventually("the node shows that mariadbd died", SETTLE, () -> director.node(USER, a, s, victim.id())
                    .statusReason() != null && director.node(USER, a, s, victim.id()).statusReason()
                            .startsWith("mariadbd is not running (it exited)"));
            assertEquals(org.conpaas.api.model.NodeStatus.RUNNING, director.node(USER, a, s, victim.id()).status());
            killAgent(victim);
            eventually("a replacement joined", SETTLE, () -> {
                List<NodeInfo> running = nodes(a, s, "mysql").stream()
                        .filter(n -> n.status() == org.conpaas.api.model.NodeStatus.RUNNING).toList();
                return director.service(USER, a, s).state() == State.RUNNING && running.size() == 3
                        && running.stream().noneMatch(n -> n.id().equals(victim.id()));
            });
            assertEquals(org.conpaas.api.model.NodeStatus.FAILED, director.nodes(USER, a, s).stream()
                    .filter(n -> n.id().equals(victim.id())).findFirst().orElseThrow().status());
            for (NodeInfo node : nodes(a, s, "mysql")) {
                if (node.status() != org.conpaas.api.model.NodeStatus.RUNNING) {
                    continue;
                }
                try (Connection c = MysqlClients.connect(node.address(), PORT, "mysqldb", password)) {
                    assertEquals(node.id(), List.of("3"), status(c, "wsrep_cluster_size"));
                    assertEquals(node.id(), new TreeSet<>(Set.of(1, 2)), ids(c));
                }
            }
        } finally {
            try {
                director.stopApplication(USER, a);
                director.deleteApplication(USER, a);
            } catch (RuntimeException cleanupFailure) {
                // the assertions above are what matters
            }
        }
    }

    /** kill -9 of a node's agent: its process group (the local cloud's node record holds its id), nothing else. */
    private static void killAgent(NodeInfo node) throws Exception {
        java.util.Properties record = new java.util.Properties();
        try (var in = Files.newInputStream(Path.of(System.getProperty("karaf.data"), "cloud-local", "nodes",
                node.vmId(), "node.properties"))) {
            record.load(in);
        }
        long pgid = Long.parseLong(record.getProperty("pgid"));
        assertTrue("refusing to kill our own group", pgid > 1 && pgid != ProcessHandle.current().pid());
        Process kill = new ProcessBuilder("kill", "-KILL", "--", "-" + pgid).redirectErrorStream(true).start();
        assertTrue(kill.waitFor(10, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(0, kill.exitValue());
    }

    private void refusalsChangeNothing(String a, String s, String password) throws Exception {
        List<NodeInfo> before = director.nodes(USER, a, s);
        InvalidInputException refused = assertThrows(InvalidInputException.class,
                () -> director.removeNodes(USER, a, s, Map.of("mysql", 2)));
        assertTrue(refused.getMessage(), refused.getMessage().contains("at least one mysql node must stay")
                || refused.getMessage().contains("Not enough"));
        assertThrows(InvalidInputException.class, () -> invoke(a, s, "set_mysql_params",
                Map.of("params", Map.of("max_connections", 300, "wsrep_provider", "/tmp/evil.so"))));
        assertThrows(InvalidInputException.class, () -> invoke(a, s, "set_password", Map.of("password", "short")));
        Path broken = Files.createTempFile("mysql-it", ".sql");
        Files.writeString(broken, "CREATE TABLOID nonsense;\n");
        InvalidInputException badDump = assertThrows(InvalidInputException.class, () -> director.invoke(USER, a, s,
                "load_dump", Map.of(), Map.of("dump", new UploadedFile("dump", "broken.sql", broken))));
        assertTrue(badDump.getMessage(), badDump.getMessage().contains("line 1"));
        assertEquals("refusals change nothing", before, director.nodes(USER, a, s));
        try (Connection c = MysqlClients.connect(before.get(0).address(), PORT, "mysqldb", password)) {
            assertEquals("the valid variable sent along was not applied", List.of("151"),
                    MysqlClients.column(c, "SELECT @@max_connections"));
        }
        invoke(a, s, "set_mysql_params", Map.of("params", Map.of("max_connections", 300)));
        invoke(a, s, "set_password", Map.of("password", "An0ther-Secret"));
        assertThrows(ConflictException.class, () -> invoke(a, s, "get_password", Map.of()));
        for (NodeInfo node : nodes(a, s, "mysql")) {
            try (Connection c = MysqlClients.connect(node.address(), PORT, "mysqldb", "An0ther-Secret")) {
                assertEquals(List.of("300"), MysqlClients.column(c, "SELECT @@max_connections"));
            }
        }
    }

    /** The cps:mysql-* commands of an administrator's shell: connect line, password, a dump into a host file. */
    private void shellCommands(String a, String s) throws Exception {
        Path data = Path.of(System.getProperty("karaf.data"));
        Path out = data.resolve("mysql-shell-dump.sql");
        Subject admin = ShellSessions.login(USER, DirectorTestSupport.adminPassword(data));
        try (ShellSessions.Shell shell = new ShellSessions(sessionFactory).open(admin, USER)) {
            ShellSessions.Line info = shell.run("cps:mysql-info " + a + " " + s);
            assertTrue(info.toString(), info.error == null && info.printed.contains("connect: mysql -h ")
                    && info.printed.contains("url: mysql://"));
            ShellSessions.Line set = shell.run("cps:mysql-password --set Sh3ll-Secret " + a + " " + s);
            assertEquals(set.toString(), "The password of mysqldb is changed.", set.printed);
            ShellSessions.Line notKept = shell.run("cps:mysql-password " + a + " " + s);
            assertTrue(notKept.toString(), notKept.error != null && notKept.printed.contains("it is not kept"));
            ShellSessions.Line dump = shell.run("cps:mysql-dump -o " + out + " " + a + " " + s);
            assertTrue(dump.toString(), dump.error == null && Files.readString(out).contains("CREATE TABLE `book`"));
        }
        for (NodeInfo node : nodes(a, s, "mysql")) {
            try (Connection c = MysqlClients.connect(node.address(), PORT, "mysqldb", "Sh3ll-Secret")) {
                assertEquals(List.of("1"), MysqlClients.column(c, "SELECT 1"));
            }
        }
    }

    private void dumpsRoundTrip(String a, String s, NodeInfo glb) throws Exception {
        Path dump = Files.createTempFile("mysql-it", ".sql");
        Files.writeString(dump, "CREATE DATABASE lib;\nCREATE TABLE lib.book (id INT PRIMARY KEY, title TEXT);\n"
                + "INSERT INTO lib.book VALUES (1, 'Dune'), (2, 'Emma');\n");
        director.invoke(USER, a, s, "load_dump", Map.of(), Map.of("dump", new UploadedFile("dump", "lib.sql", dump)));
        Map<?, ?> exported = (Map<?, ?>) invoke(a, s, "sqldump", Map.of());
        assertEquals(List.of("app", "lib"), exported.get("databases"));
        try (Connection c = MysqlClients.connect(glb.address(), PORT, "mysqldb", "An0ther-Secret")) {
            MysqlClients.execute(c, "DROP DATABASE lib");
        }
        Path again = Files.createTempFile("mysql-it", ".sql");
        Files.writeString(again, (String) exported.get("dump"));
        director.invoke(USER, a, s, "load_dump", Map.of(), Map.of("dump", new UploadedFile("dump", "a.sql", again)));
        try (Connection c = MysqlClients.connect(glb.address(), PORT, "mysqldb", "An0ther-Secret")) {
            assertEquals(List.of("Dune", "Emma"), MysqlClients.column(c, "SELECT title FROM lib.book ORDER BY id"));
        }
    }

    private Object invoke(String a, String s, String operation, Map<String, Object> params) {
        return director.invoke(USER, a, s, operation, params, Map.of());
    }

    private List<NodeInfo> nodes(String a, String s, String role) {
        return director.nodes(USER, a, s).stream().filter(n -> n.role().equals(role)).toList();
    }

    private static List<String> status(Connection c, String name) throws Exception {
        return MysqlClients.column(c, "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE "
                + "VARIABLE_NAME = '" + name.toUpperCase() + "'");
    }

    private static Set<Integer> ids(Connection c) throws Exception {
        return MysqlClients.column(c, "SELECT id FROM app.t").stream().map(Integer::valueOf)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static int countRows(Connection c) throws Exception {
        return Integer.parseInt(MysqlClients.column(c, "SELECT COUNT(*) FROM app.t").get(0));
    }

    /** The real uid of the node's mariadbd (from its pid file in the node's work folder). */
    private static long mysqldPid(NodeInfo node) throws Exception {
        Path pid = Path.of(System.getProperty("karaf.data"), "cloud-local", "nodes", node.vmId(), "work", "mysql",
                "run", "mysqld.pid");
        return Long.parseLong(Files.readString(pid).trim());
    }

    private static long mysqldUid(NodeInfo node) throws Exception {
        Path work = Path.of(System.getProperty("karaf.data"), "cloud-local", "nodes", node.vmId(), "work");
        Set<Long> uids = new HashSet<>();
        try (var walk = Files.walk(work.resolve("mysql"), 3)) {
            for (Path pid : walk.filter(p -> p.getFileName().toString().equals("mysqld.pid")).toList()) {
                String status = Files.readString(Path.of("/proc", Files.readString(pid).trim(), "status"));
                uids.add(Long.parseLong(status.lines().filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow()
                        .split("\\s+")[1]));
            }
        }
        assertEquals("one mariadbd: " + uids, 1, uids.size());
        return uids.iterator().next();
    }

    private static Set<String> volumesOf(List<NodeInfo> mysqls) {
        return mysqls.stream().map(n -> n.id() + "-data 256 " + n.id()).collect(Collectors.toSet());
    }

    private static String datadir(Connection c) throws java.sql.SQLException {
        try (java.sql.Statement st = c.createStatement();
                java.sql.ResultSet rs = st.executeQuery("SELECT @@datadir")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
