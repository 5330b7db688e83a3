package org.conpaas.service.mysql.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.conpaas.api.agent.NodeEnvironment;
import org.conpaas.api.agent.ProcessRunner.ProcessResult;
import org.conpaas.service.mysql.MysqlOperations;
import org.conpaas.service.web.agent.Daemon;

/**
 * A glb node: HAProxy in TCP mode in front of the mysql nodes (the original's Galera Load Balancer is not in
 * Debian). Its health check asks each node for {@code wsrep_local_state_comment} with the service's monitor account
 * and sends clients only to Synced nodes. Each node is listed a second time as a backup server that is also healthy
 * while it is a state-transfer donor: HAProxy uses backups only when no normal server is up, so a one-node cluster
 * that gives a joiner its state keeps taking clients instead of refusing them all.
 */
final class Balancer {

    static final String CHECK_SCRIPT = """
            #!/bin/sh
            # HAProxy external check: $3 = server address, $4 = port; HAPROXY_SERVER_NAME "b-…" marks a backup entry
            state=$(mariadb --defaults-extra-file='%s' -h "$3" -P "$4" --connect-timeout=2 --batch \
              --skip-column-names -e "SHOW GLOBAL STATUS LIKE 'wsrep_local_state_comment'" 2>/dev/null | cut -f2)
            case "$state" in
              Synced) exit 0 ;;
              Donor/Desynced) case "$HAPROXY_SERVER_NAME" in b-*) exit 0 ;; esac ;;
            esac
            exit 1
            """;

    private final NodeEnvironment environment;
    private final Path home;
    private final Daemon daemon;

    Balancer(NodeEnvironment environment) {
        this.environment = environment;
        this.home = environment.workDir().resolve("glb");
        this.daemon = new Daemon(environment, "haproxy", environment.logDir().resolve("haproxy.log"));
    }

    boolean isRunning() {
        return daemon.isRunning();
    }

    /** What is wrong: haproxy was started here and has died since (clients of this glb get no answer). */
    Optional<String> problem() {
        return daemon.problem();
    }

    /** Starts HAProxy over {@code backends}, or gives a running one the new list (open connections stay). */
    Map<String, Object> apply(List<String> backends, String monitorPassword) throws IOException {
        Files.createDirectories(home);
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        Path monitor = home.resolve("monitor.cnf");
        SqlClient.writeOptions(monitor, MysqlOperations.MONITOR_USER, monitorPassword, null);
        Path check = home.resolve("check.sh");
        Files.writeString(check, String.format(CHECK_SCRIPT, monitor), StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(check, PosixFilePermissions.fromString("rwx------"));
        Path config = home.resolve("haproxy.cfg");
        Path candidate = home.resolve("haproxy.cfg.new");
        Files.writeString(candidate, config(backends, check), StandardCharsets.UTF_8);
        ProcessResult valid = environment.processes().run(List.of("/usr/sbin/haproxy", "-c", "-q", "-f",
                candidate.toString()), home, Map.of(), Duration.ofSeconds(10));
        if (!valid.succeeded()) {
            throw new IllegalStateException("the balancer configuration was refused: " + valid.output().trim());
        }
        Files.move(candidate, config, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        if (daemon.isRunning()) {
            daemon.reload("USR2");
        } else {
            daemon.start(List.of("/usr/sbin/haproxy", "-W", "-db", "-f", config.toString()), home,
                    environment.address(), MysqlOperations.GLB_PORT);
        }
        return Map.of("port", MysqlOperations.GLB_PORT, MysqlOperations.BACKENDS, backends);
    }

    void stop() {
        daemon.stopGracefully("USR1");
    }

    String config(List<String> backends, Path check) {
        StringBuilder cfg = new StringBuilder("""
                # written by the ConPaaS agent; changes are overwritten
                global
                  maxconn 4000
                  external-check
                  insecure-fork-wanted
                  # workers left with connections after a reload end at the latest after this
                  hard-stop-after 5m
                defaults
                  mode tcp
                  timeout connect 5s
                  timeout client 1h
                  timeout server 1h
                  retries 2
                  option redispatch
                listen mysql
                """);
        cfg.append("  bind ").append(environment.address()).append(':').append(MysqlOperations.GLB_PORT).append('\n')
                .append("  balance roundrobin\n")
                .append("  option external-check\n")
                .append("  external-check path \"/usr/bin:/bin\"\n")
                .append("  external-check command ").append(check).append('\n')
                .append("  default-server inter 1s fall 2 rise 1\n");
        for (String backend : backends) {
            cfg.append("  server s-").append(backend).append(' ').append(backend).append(':')
                    .append(MysqlOperations.MYSQL_PORT).append(" check\n");
        }
        for (String backend : backends) {
            cfg.append("  server b-").append(backend).append(' ').append(backend).append(':')
                    .append(MysqlOperations.MYSQL_PORT).append(" check backup\n");
        }
        return cfg.toString();
    }
}
