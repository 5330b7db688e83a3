package org.conpaas.service.web.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.conpaas.api.agent.NodeEnvironment;
import org.conpaas.api.agent.ProcessRunner;

/**
 * One private nginx instance of a node (the proxy or the static web server): its own folder with the configuration,
 * pid file and temporary folders, logs in the node's log folder. A new configuration is tested with
 * {@code nginx -t} before it replaces the old one; a running server then gets SIGHUP (new workers with the new
 * configuration, old workers finish their requests and exit: no connection is refused), never a restart.
 */
public final class NginxServer {

    static final String BINARY = "nginx";

    private final NodeEnvironment environment;
    private final Path home;
    private final Daemon daemon;
    private final String logPrefix;

    /** {@code name} is the process name and the folder below {@code <workDir>/web/}, e.g. "proxy" or "static". */
    public NginxServer(NodeEnvironment environment, String name) {
        this.environment = environment;
        this.home = environment.workDir().resolve("web").resolve(name);
        this.logPrefix = "nginx-" + name;
        this.daemon = new Daemon(environment, "nginx-" + name, environment.logDir().resolve(logPrefix + ".out"));
    }

    public Path home() {
        return home;
    }

    public boolean isRunning() {
        return daemon.isRunning();
    }

    /** The lines every private instance needs: foreground master, its own pid file, logs and temporary folders. */
    String mainContext(ServerAccount account) {
        StringBuilder conf = new StringBuilder();
        conf.append("# written by the ConPaaS agent; replaced on every reconfiguration\n");
        account.workerUser().ifPresent(user -> conf.append("user ").append(user).append(";\n"));
        conf.append("daemon off;\n")
                .append("worker_processes 1;\n")
                // after a reload, old workers finish their requests for at most this long (the reload waits for them)
                .append("worker_shutdown_timeout ").append(Daemon.RETIRE_TIMEOUT.toSeconds()).append("s;\n")
                .append("pid ").append(home.resolve("nginx.pid")).append(";\n")
                .append("error_log ").append(errorLog()).append(" warn;\n")
                .append("events { worker_connections 1024; }\n");
        return conf.toString();
    }

    /** The http-level lines every instance shares; all five temporary folders, or nginx writes to /var/lib/nginx. */
    String httpCommon() {
        Path tmp = home.resolve("tmp");
        return "  include /etc/nginx/mime.types;\n"
                + "  default_type application/octet-stream;\n"
                + "  access_log " + environment.logDir().resolve(logPrefix + "-access.log") + ";\n"
                + "  client_body_temp_path " + tmp.resolve("body") + ";\n"
                + "  proxy_temp_path " + tmp.resolve("proxy") + ";\n"
                + "  fastcgi_temp_path " + tmp.resolve("fastcgi") + ";\n"
                + "  uwsgi_temp_path " + tmp.resolve("uwsgi") + ";\n"
                + "  scgi_temp_path " + tmp.resolve("scgi") + ";\n"
                + "  server_tokens off;\n"
                + "  sendfile on;\n"
                + "  keepalive_timeout 65;\n";
    }

    Path errorLog() {
        return environment.logDir().resolve(logPrefix + "-error.log");
    }

    /**
     * Starts the server with this configuration, or, when it runs already, tests the configuration and reloads
     * it. A configuration nginx refuses changes nothing and is reported with nginx's own message.
     */
    public void apply(String configuration, String address, int port) throws IOException {
        Files.createDirectories(home.resolve("tmp"));
        Path config = home.resolve("nginx.conf");
        Path candidate = home.resolve("nginx.conf.new");
        Files.writeString(candidate, configuration, StandardCharsets.UTF_8);
        ProcessRunner.ProcessResult test = environment.processes().run(command(candidate, "-t"), home, Map.of(),
                Duration.ofSeconds(30));
        if (!test.succeeded()) {
            Files.deleteIfExists(candidate);
            throw new IllegalStateException("nginx refused the configuration: " + lastLines(test.output()));
        }
        Files.move(candidate, config, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        if (daemon.isRunning()) {
            daemon.reload("HUP");
        } else {
            daemon.start(command(config), home, address, port);
        }
    }

    /** Graceful stop: QUIT lets the workers finish the requests they are serving. */
    /** What is wrong: nginx was started and has died since. */
    public Optional<String> problem() {
        return daemon.problem();
    }

    public void stop() {
        daemon.stopGracefully("QUIT");
    }

    private List<String> command(Path config, String... extra) {
        // -e: the error log before the configuration is read, or nginx tries /var/log/nginx/error.log first.
        List<String> command = new java.util.ArrayList<>(List.of(BINARY, "-p", home + "/", "-c", config.toString(),
                "-e", errorLog().toString()));
        command.addAll(List.of(extra));
        return command;
    }

    private static String lastLines(String output) {
        List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
    }
}
