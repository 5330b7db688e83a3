package org.conpaas.service.mysql.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.conpaas.api.agent.NodeEnvironment;
import org.conpaas.api.agent.ProcessRunner.ManagedProcess;
import org.conpaas.api.agent.ProcessRunner.ProcessResult;

/**
 * The mariadbd of one mysql node: its private data folder, configuration, socket and ports, started as the node's
 * account (or, when the agent is root, as the Debian {@code mysql} account: mariadbd refuses to run as root).
 */
final class MariaDbNode {

    static final String PROCESS = "mariadbd";
    /** Below the agent protocol's 120 s per call: a join that takes longer is reported as failed. */
    static final Duration SYNC_TIMEOUT = Duration.ofSeconds(100);
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    /** A Unix socket path must fit sun_path (108 bytes). */
    private static final int MAX_SOCKET_PATH = 100;

    private final NodeEnvironment environment;
    private final NodeAccount account;
    private final Path home;
    private final Path config;
    private final Path options;
    private final Path scratch;
    private final Path errorLog;
    private final Path socket;
    private final SqlClient sql;
    /** Whether mariadbd should run here: started and not stopped since (a death then is a problem to report). */
    private volatile boolean wanted;

    MariaDbNode(NodeEnvironment environment, NodeAccount account) {
        this.environment = environment;
        this.account = account;
        this.home = environment.workDir().resolve("mysql");
        this.config = home.resolve("my.cnf");
        this.options = home.resolve("client.cnf");
        this.scratch = home.resolve("tmp");
        this.errorLog = environment.logDir().resolve("mariadb-error.log");
        Path local = home.resolve("run").resolve("mysqld.sock");
        this.socket = local.toAbsolutePath().toString().length() <= MAX_SOCKET_PATH ? local
                : Path.of("/tmp", "conpaas-mysql-" + Integer.toHexString(home.toAbsolutePath().hashCode()),
                        "mysqld.sock");
        this.sql = new SqlClient(environment, options, scratch);
    }

    SqlClient sql() {
        return sql;
    }

    Path scratch() {
        return scratch;
    }

    Path options() {
        return options;
    }

    boolean isRunning() {
        return environment.processes().find(PROCESS).map(ManagedProcess::isAlive).orElse(false);
    }

    /**
     * Starts mariadbd (a new cluster when {@code bootstrap}, else joining {@code peers}) and waits until it is Synced.
     * A fresh bootstrap node gets its system tables, and root gets {@code rootPassword} (socket only). A node that is
     * running already is left alone.
     */
    Map<String, Object> start(boolean bootstrap, List<String> peers, String clusterName, String rootPassword,
            Map<String, String> settings) throws IOException {
        if (isRunning()) {
            wanted = true;
            return status();
        }
        prepareFolders();
        writeConfig(peers, clusterName, settings);
        boolean fresh = bootstrap && !Files.exists(data().resolve("mysql"));
        if (fresh) {
            installSystemTables();
        }
        SqlClient.writeOptions(options, "root", fresh ? "" : rootPassword, socket);
        List<String> command = new ArrayList<>(List.of("/usr/sbin/mariadbd", "--defaults-file=" + config));
        if (bootstrap) {
            command.add("--wsrep-new-cluster");
        }
        environment.processes().stop(PROCESS, Duration.ZERO); // a dead earlier instance must not block the name
        environment.processes().start(PROCESS, command, home, Map.of(), environment.logDir().resolve("mariadbd.out"));
        try {
            awaitSynced();
            if (fresh) {
                secure(rootPassword);
            }
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
        wanted = true;
        return status();
    }

    /** Only the new cluster address list, for the node's next start; a running node keeps its membership. */
    void updatePeers(List<String> peers) throws IOException {
        if (!Files.isRegularFile(config)) {
            return;
        }
        String text = Files.readString(config, StandardCharsets.UTF_8).replaceAll("(?m)^wsrep_cluster_address=.*$",
                java.util.regex.Matcher.quoteReplacement("wsrep_cluster_address=gcomm://" + String.join(",",
                        peers.stream().map(p -> p + ":" + org.conpaas.service.mysql.MysqlOperations.GALERA_PORT)
                                .toList())));
        Files.writeString(config, text, StandardCharsets.UTF_8);
    }

    /** Persists checked settings in the configuration, so that a restart keeps them. */
    void rememberSettings(Map<String, String> settings) throws IOException {
        if (!Files.isRegularFile(config)) {
            return;
        }
        StringBuilder text = new StringBuilder(Files.readString(config, StandardCharsets.UTF_8));
        settings.forEach((name, value) -> {
            String line = name + "=" + value;
            int at = text.indexOf("\n" + name + "=");
            if (at >= 0) {
                int end = text.indexOf("\n", at + 1);
                text.replace(at + 1, end < 0 ? text.length() : end, line);
            } else {
                text.append(line).append('\n');
            }
        });
        Files.writeString(config, text.toString(), StandardCharsets.UTF_8);
    }

    /** A clean shutdown: the node leaves the cluster (the others keep their quorum). */
    void stop() {
        wanted = false;
        if (isRunning()) {
            long pid = environment.processes().find(PROCESS).orElseThrow().pid();
            environment.processes().run(List.of("kill", "-TERM", String.valueOf(pid)), null, Map.of(),
                    Duration.ofSeconds(5));
            long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
            while (isRunning() && System.nanoTime() < deadline) {
                sleep(50);
            }
        }
        environment.processes().stop(PROCESS, Duration.ofSeconds(1));
        if (!socket.startsWith(home)) {
            // the short socket folder outside the node's work folder goes with the server
            try {
                Files.deleteIfExists(socket);
                Files.deleteIfExists(socket.getParent());
            } catch (IOException e) {
                // left in /tmp: harmless, the next start reuses it
            }
        }
    }

    /**
     * Waits (at most 30 s) until the failed nodes have left this node's view ({@code members} nodes, or a non-primary
     * partition), then sets pc.bootstrap if the node is not in a primary component; answers the status afterwards.
     */
    Map<String, Object> makePrimary(int members) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (isRunning() && System.nanoTime() < deadline) {
            Map<String, Object> now = status();
            if (!"Primary".equals(now.get("clusterStatus"))
                    || now.get("clusterSize") instanceof Integer size && size <= members) {
                break;
            }
            sleep(250);
        }
        if (isRunning() && !"Primary".equals(status().get("clusterStatus"))) {
            sql.execute("SET GLOBAL wsrep_provider_options = 'pc.bootstrap=YES';\n");
            awaitSynced();
        }
        return status();
    }

    /** What is wrong: mariadbd was started here and has died since (the glbs have taken the node out by then). */
    Optional<String> problem() {
        return wanted && !isRunning() ? Optional.of("mariadbd is not running (it exited): " + tail())
                : Optional.empty();
    }

    /** Whether the node runs, its Galera state and the cluster's size as this node sees it. */
    Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        boolean running = isRunning();
        status.put("running", running);
        if (!running && Files.isRegularFile(config)) {
            status.put("reason", "mariadbd is not running: " + tail());
        }
        if (running) {
            try {
                Map<String, String> wsrep = sql.status("wsrep_%");
                status.put("state", wsrep.getOrDefault("wsrep_local_state_comment", ""));
                status.put("clusterSize", Integer.parseInt(wsrep.getOrDefault("wsrep_cluster_size", "0")));
                status.put("clusterStatus", wsrep.getOrDefault("wsrep_cluster_status", ""));
                status.put("ready", wsrep.getOrDefault("wsrep_ready", ""));
            } catch (RuntimeException e) {
                status.put("state", "unreachable");
                status.put("reason", e.getMessage());
            }
        }
        return status;
    }

    private void awaitSynced() {
        long deadline = System.nanoTime() + SYNC_TIMEOUT.toNanos();
        String last = "not started";
        while (System.nanoTime() < deadline) {
            if (!isRunning()) {
                throw new IllegalStateException("mariadbd exited at start: " + tail());
            }
            try {
                last = sql.status("wsrep_local_state_comment").getOrDefault("wsrep_local_state_comment", "");
                if (last.equals("Synced")) {
                    return;
                }
            } catch (SqlClient.SqlException notYetListening) {
                last = "not accepting connections yet";
            }
            sleep(200);
        }
        throw new IllegalStateException("mariadbd was not Synced within " + SYNC_TIMEOUT.toSeconds() + " s (" + last
                + "): " + tail());
    }

    /** Root by socket only with its password; no anonymous users, no other root, no test database. */
    private void secure(String rootPassword) throws IOException {
        String extra = sql.execute("SELECT CONCAT(QUOTE(User), '@', QUOTE(Host)) FROM mysql.user WHERE User = '' "
                + "OR (User = 'root' AND Host <> 'localhost') OR User = 'mysql'");
        StringBuilder statements = new StringBuilder();
        for (String user : extra.split("\n")) {
            if (!user.isBlank()) {
                statements.append("DROP USER ").append(user.trim()).append(";\n");
            }
        }
        statements.append("DROP DATABASE IF EXISTS test;\n")
                .append("DELETE FROM mysql.db WHERE Db = 'test' OR Db LIKE 'test\\\\_%';\n")
                .append("ALTER USER 'root'@'localhost' IDENTIFIED BY ").append(SqlClient.quote(rootPassword))
                .append(";\nFLUSH PRIVILEGES;\n");
        sql.execute(statements.toString());
        SqlClient.writeOptions(options, "root", rootPassword, socket);
    }

    private void installSystemTables() {
        List<String> command = new ArrayList<>(List.of("mariadb-install-db", "--defaults-file=" + config,
                "--auth-root-authentication-method=normal", "--skip-test-db"));
        account.mysqlUser().ifPresent(u -> command.add("--user=" + u));
        ProcessResult result = environment.processes().run(command, home, Map.of(), Duration.ofSeconds(60));
        if (!result.succeeded()) {
            throw new IllegalStateException("mariadb-install-db failed: " + last(result.output()));
        }
    }

    private void prepareFolders() throws IOException {
        Path data = data();
        Path run = home.resolve("run");
        for (Path folder : List.of(home, data, scratch, run, socket.getParent(), environment.logDir())) {
            if (!Files.isDirectory(folder)) {
                Files.createDirectories(folder);
            }
        }
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(scratch, PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(socket.getParent(), PosixFilePermissions.fromString("rwx------"));
        if (!Files.exists(errorLog)) {
            Files.createFile(errorLog);
        }
        account.giveToMysql(home, List.of(data, run, socket.getParent(), errorLog));
    }

    private void writeConfig(List<String> peers, String clusterName, Map<String, String> settings)
            throws IOException {
        MariaDbConfig cnf = new MariaDbConfig(environment.address(), environment.nodeId(), clusterName, peers, data(),
                socket, home.resolve("run").resolve("mysqld.pid"), errorLog, account.mysqlUser(), settings);
        Files.writeString(config, cnf.render(), StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r-----"));
        account.giveToMysql(home, List.of(config));
    }

    String tail() {
        try {
            if (!Files.exists(errorLog)) {
                return "(no error log)";
            }
            List<String> lines = Files.readAllLines(errorLog, StandardCharsets.UTF_8);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 6), lines.size())).trim();
        } catch (IOException e) {
            return "(error log unreadable: " + e.getMessage() + ")";
        }
    }

    private static String last(String output) {
        String trimmed = output.trim();
        return trimmed.length() > 600 ? "…" + trimmed.substring(trimmed.length() - 600) : trimmed;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * On the node's own volume when its cloud gave it one (see MysqlManager#nodeVolumeMb); asked each time, since
     * the director mounts the volume after the plug-in has started.
     */
    private Path data() {
        return environment.nodeVolume().map(volume -> volume.resolve("mysql")).orElse(home.resolve("data"));
    }

    Optional<Path> dataFolder() {
        return Optional.of(data());
    }
}
