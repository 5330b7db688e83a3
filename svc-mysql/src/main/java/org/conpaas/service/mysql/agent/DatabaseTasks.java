package org.conpaas.service.mysql.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.conpaas.api.agent.NodeEnvironment;
import org.conpaas.api.agent.ProcessRunner.ProcessResult;
import org.conpaas.service.mysql.MysqlOperations;
import org.conpaas.service.mysql.MysqlSettings;

/** What the manager asks of one running mysql node besides starting and stopping it: accounts, settings, dumps, load. */
final class DatabaseTasks {

    /** Privileges of mysqldb: everything on the data, not on the server (no FILE, SUPER, SHUTDOWN …). */
    static final String USER_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, REFERENCES, INDEX, ALTER, "
            + "SHOW DATABASES, CREATE TEMPORARY TABLES, LOCK TABLES, EXECUTE, CREATE VIEW, SHOW VIEW, CREATE ROUTINE, "
            + "ALTER ROUTINE, CREATE USER, EVENT, TRIGGER, PROCESS";
    static final Duration DUMP_TIMEOUT = Duration.ofSeconds(110);
    /** The largest dump answered through the agent protocol. */
    static final long MAX_DUMP_BYTES = 64L << 20;
    /** A load sample waits for mariadbd at most this long (the director gives the whole sample 3 s). */
    static final Duration FIGURES_TIMEOUT = Duration.ofSeconds(2);
    private static final Pattern FAILED_LINE = Pattern.compile("at line (\\d+)");
    private static final List<String> COUNTERS = List.of("Com_select", "Com_insert", "Com_update", "Com_delete");

    private final NodeEnvironment environment;
    private final MariaDbNode node;

    DatabaseTasks(NodeEnvironment environment, MariaDbNode node) {
        this.environment = environment;
        this.node = node;
    }

    /** The service's users, created once on the first node (Galera replicates account statements). */
    void setupAccounts(String password, String monitorPassword) {
        requireRunning();
        node.sql().execute("CREATE USER IF NOT EXISTS '" + MysqlOperations.USER + "'@'%' IDENTIFIED BY "
                + SqlClient.quote(password) + ";\n"
                + "GRANT " + USER_PRIVILEGES + " ON *.* TO '" + MysqlOperations.USER + "'@'%' WITH GRANT OPTION;\n"
                + "CREATE USER IF NOT EXISTS '" + MysqlOperations.MONITOR_USER + "'@'%' IDENTIFIED BY "
                + SqlClient.quote(monitorPassword) + ";\n");
    }

    void setPassword(String password) {
        requireRunning();
        node.sql().execute("ALTER USER '" + MysqlOperations.USER + "'@'%' IDENTIFIED BY " + SqlClient.quote(password)
                + ";\n");
    }

    /**
     * Waits until this node has applied what the cluster committed before the call: Galera replicates on commit but
     * each node applies in its own time, so a client could still miss a change made on another node just before.
     */
    void catchUp() {
        requireRunning();
        node.sql().execute("SET SESSION wsrep_sync_wait = 1;\nSELECT 1;\n");
    }

    /** SET GLOBAL on this node (not replicated), and kept in its configuration for a restart. */
    Map<String, String> setParams(Map<?, ?> settings) throws IOException {
        requireRunning();
        Map<String, String> checked = MysqlSettings.check(settings);
        StringBuilder statements = new StringBuilder();
        checked.forEach((name, value) -> statements.append("SET GLOBAL ").append(name).append(" = ")
                .append(MysqlSettings.literal(value)).append(";\n"));
        node.sql().execute(statements.toString());
        node.rememberSettings(checked);
        return checked;
    }

    /** Applies a dump; a failure names the statement's line and text. */
    Map<String, Object> loadDump(Path dump) throws IOException {
        requireRunning();
        try {
            node.sql().executeFile(dump, DUMP_TIMEOUT);
        } catch (SqlClient.SqlException e) {
            throw new IllegalArgumentException("the dump failed: " + e.getMessage() + failingLine(dump, e.getMessage()));
        }
        return Map.of("loaded", true, "bytes", Files.size(dump));
    }

    private static String failingLine(Path dump, String message) throws IOException {
        Matcher m = FAILED_LINE.matcher(message);
        if (!m.find()) {
            return "";
        }
        long number = Long.parseLong(m.group(1));
        try (var lines = Files.lines(dump, StandardCharsets.UTF_8)) {
            String line = lines.skip(number - 1).findFirst().orElse("").strip();
            return " (line " + number + ": " + (line.length() > 200 ? line.substring(0, 200) + "…" : line) + ")";
        } catch (java.io.UncheckedIOException notText) {
            return "";
        }
    }

    /** A consistent dump (one transaction) of every user database, with routines, events and triggers. */
    Map<String, Object> sqldump() throws IOException {
        requireRunning();
        List<String> databases = node.sql().execute("SELECT schema_name FROM information_schema.schemata WHERE "
                + "schema_name NOT IN ('mysql', 'information_schema', 'performance_schema', 'sys') "
                + "ORDER BY schema_name").lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("databases", databases);
        if (databases.isEmpty()) {
            result.put(MysqlOperations.DUMP, "-- no user databases\n");
            return result;
        }
        Path out = Files.createTempFile(node.scratch(), "dump-", ".sql");
        try {
            StringBuilder script = new StringBuilder("exec mariadb-dump --defaults-extra-file=\"$1\" "
                    + "--single-transaction --routines --events --triggers --databases");
            for (int i = 0; i < databases.size(); i++) {
                script.append(" \"$").append(i + 3).append('"');
            }
            script.append(" > \"$2\"");
            List<String> command = new java.util.ArrayList<>(List.of("sh", "-c", script.toString(), "sh",
                    node.options().toString(), out.toString()));
            command.addAll(databases);
            ProcessResult done = environment.processes().run(command, node.scratch(), Map.of(), DUMP_TIMEOUT);
            if (!done.succeeded()) {
                throw new IllegalStateException("mariadb-dump failed: " + done.output().trim());
            }
            if (Files.size(out) > MAX_DUMP_BYTES) {
                throw new IllegalStateException("the dump is larger than " + (MAX_DUMP_BYTES >> 20) + " MB");
            }
            result.put(MysqlOperations.DUMP, Files.readString(out, StandardCharsets.UTF_8));
            return result;
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** Statement rates per second over {@code seconds}, and Galera's receive queue average. */
    Map<String, Object> load(double seconds) {
        requireRunning();
        Map<String, String> before = counters();
        long start = System.nanoTime();
        MariaDbNode.sleep((long) (seconds * 1000));
        Map<String, String> after = counters();
        double elapsed = (System.nanoTime() - start) / 1e9;
        Map<String, Object> load = new LinkedHashMap<>();
        for (String counter : COUNTERS) {
            double rate = (Long.parseLong(after.getOrDefault(counter, "0"))
                    - Long.parseLong(before.getOrDefault(counter, "0"))) / elapsed;
            load.put(counter.toLowerCase(java.util.Locale.ROOT) + "_per_second", Math.round(rate * 100) / 100.0);
        }
        load.put("wsrep_local_recv_queue_avg",
                Double.parseDouble(after.getOrDefault("wsrep_local_recv_queue_avg", "0")));
        return load;
    }

    /**
     * The node's figures for the charts: {@code transactions_total} (Handler_commit: every transaction committed, an
     * autocommit statement's included) and {@code queries_total} (Questions: the statements clients sent). Nothing
     * while mariadbd is down or slow to answer: a sample must not wait.
     */
    Map<String, Double> figures() {
        if (!node.isRunning()) {
            return Map.of();
        }
        Map<String, String> status;
        try {
            status = SqlClient.pairs(node.sql().execute("SHOW GLOBAL STATUS WHERE Variable_name IN "
                    + "('Handler_commit', 'Questions')", FIGURES_TIMEOUT));
        } catch (RuntimeException e) {
            return Map.of();
        }
        Map<String, Double> figures = new java.util.TreeMap<>();
        putNumber(figures, "transactions_total", status.get("Handler_commit"));
        putNumber(figures, "queries_total", status.get("Questions"));
        return figures;
    }

    private static void putNumber(Map<String, Double> figures, String name, String value) {
        if (value != null && value.matches("\\d{1,18}")) {
            figures.put(name, Double.parseDouble(value));
        }
    }

    private Map<String, String> counters() {
        return SqlClient.pairs(node.sql().execute("SHOW GLOBAL STATUS WHERE Variable_name IN ('Com_select', "
                + "'Com_insert', 'Com_update', 'Com_delete', 'wsrep_local_recv_queue_avg')"));
    }

    /** Waits until no client but the service's own is connected, at most {@code seconds}; answers what is left. */
    Map<String, Object> drain(int seconds) {
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        int left = clients();
        while (left > 0 && System.nanoTime() < deadline) {
            MariaDbNode.sleep(200);
            left = clients();
        }
        return Map.of("connections", left);
    }

    private int clients() {
        if (!node.isRunning()) {
            return 0;
        }
        String count = node.sql().execute("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID <> "
                + "CONNECTION_ID() AND USER NOT IN ('system user', 'event_scheduler', '"
                + MysqlOperations.MONITOR_USER + "')").strip();
        return Integer.parseInt(count.isEmpty() ? "0" : count);
    }

    private void requireRunning() {
        if (!node.isRunning()) {
            throw new IllegalStateException("mariadbd is not running on " + environment.nodeId() + ": "
                    + node.tail());
        }
    }
}
