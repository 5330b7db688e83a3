package org.conpaas.service.php.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.conpaas.api.agent.NodeEnvironment;
import org.conpaas.api.agent.ProcessRunner;
import org.conpaas.service.web.agent.Daemon;
import org.conpaas.service.web.agent.ServerAccount;
import org.conpaas.service.web.agent.Upstream;

/**
 * The node's private php-fpm: one pool serving the active code. The proxy sends script paths relative to the code
 * folder (nodes keep their code in different places), so the pool's working folder is the code's {@code current}
 * link; a reload (SIGUSR2: php-fpm re-executes itself and keeps its listening socket, so no connection is refused)
 * makes new workers resolve it again after a code switch. Sessions go to the session store (memcached) through PHP's
 * own memcached session handler.
 */
final class PhpFpm {

    /** The node property naming the php-fpm binary; otherwise the newest /usr/sbin/php-fpm* is used. */
    static final String BINARY_PROPERTY = "php.fpmBinary";

    private final NodeEnvironment environment;
    private final ServerAccount account;
    private final Path home;
    private final Daemon daemon;

    PhpFpm(NodeEnvironment environment, ServerAccount account) {
        this.environment = environment;
        this.account = account;
        this.home = environment.workDir().resolve("web").resolve("php-fpm");
        this.daemon = new Daemon(environment, "php-fpm", environment.logDir().resolve("php-fpm.out"));
    }

    boolean isRunning() {
        return daemon.isRunning();
    }

    /** What is wrong: started and died since. */
    Optional<String> problem() {
        return daemon.problem();
    }

    /** Starts php-fpm with this pool, or reloads the running one after testing the new configuration. */
    void apply(int port, Path docRoot, List<Upstream> sessionStores, List<String> proxies, Map<String, String> phpconf)
            throws IOException {
        Files.createDirectories(home);
        Path config = home.resolve("php-fpm.conf");
        Path candidate = home.resolve("php-fpm.conf.new");
        Files.writeString(candidate, render(port, docRoot, sessionStores, proxies, phpconf), StandardCharsets.UTF_8);
        ProcessRunner.ProcessResult test = environment.processes().run(
                List.of(binary(), "--test", "--fpm-config", candidate.toString(), "--prefix", home.toString()),
                home, Map.of(), Duration.ofSeconds(30));
        if (!test.succeeded()) {
            Files.deleteIfExists(candidate);
            throw new IllegalStateException("php-fpm refused the configuration: " + test.output().trim());
        }
        Files.move(candidate, config, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        if (daemon.isRunning()) {
            daemon.reload("USR2");
        } else {
            daemon.start(List.of(binary(), "--nodaemonize", "--fpm-config", config.toString(),
                    "--prefix", home.toString()), home, environment.address(), port);
        }
    }

    /** Re-reads the configuration and restarts the workers gracefully (after a code switch). */
    void reload() {
        if (daemon.isRunning()) {
            daemon.reload("USR2");
        }
    }

    /** QUIT: workers finish their requests first. */
    void stop() {
        daemon.stopGracefully("QUIT");
    }

    String render(int port, Path docRoot, List<Upstream> sessionStores, List<String> proxies,
            Map<String, String> phpconf) {
        StringBuilder conf = new StringBuilder("; written by the ConPaaS agent; replaced on every reconfiguration\n");
        conf.append("[global]\n")
                .append("pid = ").append(home.resolve("php-fpm.pid")).append('\n')
                .append("error_log = ").append(environment.logDir().resolve("php-fpm-error.log")).append('\n')
                .append("daemonize = no\n")
                // how long a reload or stop waits for requests in progress before it ends the workers
                .append("process_control_timeout = 20s\n")
                .append("[conpaas]\n");
        account.workerUser().ifPresent(user -> conf.append("user = ").append(user).append('\n')
                .append("group = ").append(user).append('\n'));
        conf.append("listen = ").append(environment.address()).append(':').append(port).append('\n');
        if (!proxies.isEmpty()) {
            // only the proxies may run scripts here
            conf.append("listen.allowed_clients = ").append(String.join(",", proxies)).append('\n');
        }
        conf.append("pm = static\n")
                .append("pm.max_children = 5\n")
                .append("pm.max_requests = 300\n")
                .append("chdir = ").append(docRoot).append('\n')
                .append("catch_workers_output = yes\n")
                .append("decorate_workers_output = no\n")
                .append("security.limit_extensions = .php\n");
        if (!sessionStores.isEmpty()) {
            conf.append("php_admin_value[session.save_handler] = memcached\n")
                    .append("php_admin_value[session.save_path] = \"")
                    .append(String.join(",", sessionStores.stream().map(s -> s.ip() + ":" + s.port()).toList()))
                    .append("\"\n");
        }
        phpconf.forEach((key, value) -> conf.append("php_admin_value[").append(key).append("] = ")
                .append(value.isEmpty() ? "\"\"" : value).append('\n'));
        return conf.toString();
    }

    private String binary() throws IOException {
        String configured = environment.properties().get(BINARY_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        Path sbin = Path.of("/usr/sbin");
        if (Files.isDirectory(sbin)) {
            try (Stream<Path> entries = Files.list(sbin)) {
                List<String> found = new ArrayList<>(entries.map(p -> p.getFileName().toString())
                        .filter(n -> n.matches("php-fpm[0-9.]*")).toList());
                found.sort(Comparator.naturalOrder());
                if (!found.isEmpty()) {
                    return sbin.resolve(found.get(found.size() - 1)).toString();
                }
            }
        }
        throw new IllegalStateException("php-fpm is not installed on this node (no /usr/sbin/php-fpm*; "
                + "install the Debian package php-fpm)");
    }
}
