package org.conpaas.service.web.agent;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
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
    /**
     * The request count file: every request served adds one empty access log line (one byte), so the file's size is
     * the count, read with a stat instead of a status endpoint (a unix socket's path would exceed the kernel's
     * 108 bytes in deep node folders; a port would be one more to allocate and to guard).
     */
    static final String REQUEST_COUNT = "requests.count";
    /** Past this size the count file is emptied (its size carried over in memory), so it stays small. */
    static final long MAX_COUNT_BYTES = 16L * 1024 * 1024;

    private final NodeEnvironment environment;
    private final Path home;
    private final Daemon daemon;
    private final String logPrefix;
    /** Bytes of the count file emptied so far: the requests counted before it was last emptied. */
    private long countedBefore;

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

    /**
     * The http-level lines that count the requests this server answers ({@link #requestsServed()}): only where the
     * count is read (the proxy), since each request costs a write.
     */
    String requestCounting() {
        return "  log_format conpaas_count '';\n"
                + "  access_log " + home.resolve(REQUEST_COUNT) + " conpaas_count buffer=4k flush=1s;\n";
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

    /**
     * The requests this server has answered since this agent first started it (a second later at most: the count is
     * written once a second); empty before it ever ran. A few requests answered while the file is emptied may go
     * uncounted: a chart's figure, not a bill.
     */
    public synchronized OptionalLong requestsServed() {
        Path count = home.resolve(REQUEST_COUNT);
        try {
            long size = Files.size(count);
            if (size > MAX_COUNT_BYTES) {
                try (FileChannel file = FileChannel.open(count, StandardOpenOption.WRITE)) {
                    file.truncate(0); // nginx appends (O_APPEND): its next line lands at the new end
                }
                countedBefore += size;
                size = 0;
            }
            return OptionalLong.of(countedBefore + size);
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    /** What is wrong: nginx was started and has died since. */
    public Optional<String> problem() {
        return daemon.problem();
    }

    /** Graceful stop: QUIT lets the workers finish the requests they are serving. */
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
