package org.conpaas.service.java.agent;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.conpaas.api.agent.NodeEnvironment;
import org.conpaas.service.support.Folders;
import org.conpaas.service.web.agent.Daemon;
import org.conpaas.service.web.agent.ServerAccount;

/**
 * The node's private Tomcat ({@code CATALINA_BASE} in {@code <workDir>/web/tomcat/}) serving the active code at the
 * root context.
 * <p>
 * Every change of what the application needs (a new code version, other proxies allowed in) is deployed as a new
 * version of the root context with Tomcat's parallel deployment ({@code ROOT##000002.xml} next to
 * {@code ROOT##000001.xml}): the old version serves while the new one starts, new requests go to the new one as soon
 * as it runs, and only then is the old one undeployed (Tomcat lets its requests in progress finish). Nothing is
 * restarted, so no request fails. Sessions belong to a version (Tomcat's own), so they start anew with the new code,
 * as after any redeployment. The agent waits until Tomcat reports the new version deployed; a version that fails to
 * start is removed again (the old one keeps serving) and the error names Tomcat's own messages.
 */
final class Tomcat {

    /** How long an application may take to deploy; the director waits two minutes for an operation. */
    static final Duration DEPLOY_TIMEOUT = Duration.ofSeconds(100);
    static final String NAME = "tomcat";
    private static final String DESCRIPTOR_PREFIX = "ROOT##";
    private static final Pattern DESCRIPTOR = Pattern.compile("ROOT##(\\d{6})\\.xml");

    /** What start_backend asks for; kept in the instance folder so a code switch can redeploy with it. */
    record Settings(int port, int heapMb, List<String> proxies) {
    }

    private final NodeEnvironment environment;
    private final ServerAccount account;
    private final Path base;
    private final Path descriptors;
    private final Path output;
    private final Daemon daemon;

    Tomcat(NodeEnvironment environment, ServerAccount account) {
        this.environment = environment;
        this.account = account;
        this.base = environment.workDir().resolve("web").resolve(NAME);
        this.descriptors = base.resolve("conf").resolve("Catalina").resolve("localhost");
        this.output = environment.logDir().resolve("tomcat.out");
        this.daemon = new Daemon(environment, NAME, output);
    }

    boolean isRunning() {
        return daemon.isRunning();
    }

    /** What is wrong: started and died since. */
    Optional<String> problem() {
        return daemon.problem();
    }

    /** Starts Tomcat serving {@code docBase}, or deploys a new version of the application when something changed. */
    void apply(Settings settings, Path docBase) throws IOException {
        Path webapp = docBase.toRealPath(); // the version's own folder: a context version never changes its files
        String descriptor = TomcatConfigs.context(webapp, settings.proxies(), ServletApi.usesJavax(webapp));
        String server = TomcatConfigs.server(environment.address(), settings.port(), environment.logDir());
        TomcatSettingsFile.write(base, settings);
        if (daemon.isRunning() && (!server.equals(readIfExists(base.resolve("conf").resolve("server.xml")))
                || settings.heapMb() != runningHeapMb())) {
            // the port or the heap changed: those need a new process (the manager never changes them while serving)
            stop();
        }
        if (daemon.isRunning()) {
            Optional<Path> newest = newestDescriptor();
            if (newest.isPresent() && descriptor.equals(Files.readString(newest.get()))) {
                return;
            }
            deploy(descriptor, newest.map(Tomcat::number).orElse(0) + 1);
        } else {
            start(settings, server, descriptor);
        }
    }

    /** The code switched: the application is deployed again from the new version, with the settings it had. */
    void codeSwitched(Path docBase) throws IOException {
        if (daemon.isRunning()) {
            apply(TomcatSettingsFile.read(base), docBase);
        }
    }

    /** Graceful: TERM runs Tomcat's shutdown, which lets requests in progress finish (gracefulStopAwaitMillis). */
    void stop() {
        daemon.stopGracefully("TERM");
    }

    private void start(Settings settings, String server, String descriptor) throws IOException {
        Path home = TomcatHome.ensure(environment.workDir(), account);
        for (String folder : List.of("logs", "temp", "work", "webapps")) {
            Files.createDirectories(base.resolve(folder));
        }
        Folders.deleteTree(descriptors); // versions of an earlier run are not deployed again
        Files.createDirectories(descriptors);
        Path conf = base.resolve("conf");
        Files.copy(home.resolve("conf").resolve("web.xml"), conf.resolve("web.xml"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(home.resolve("conf").resolve("catalina.properties"), conf.resolve("catalina.properties"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(conf.resolve("logging.properties"), TomcatConfigs.LOGGING);
        Files.writeString(conf.resolve("server.xml"), server);
        Files.writeString(base.resolve("heap"), String.valueOf(settings.heapMb()));
        Path accessLog = environment.logDir().resolve(TomcatConfigs.ACCESS_LOG);
        if (!Files.exists(accessLog)) {
            Files.createFile(accessLog);
        }
        // Tomcat runs as the workers' user when the agent is root: it writes its own folders and the access log
        for (Path written : List.of(base.resolve("logs"), base.resolve("temp"), base.resolve("work"),
                base.resolve("webapps"), descriptors, accessLog)) {
            account.giveToWorkers(written);
        }
        account.makeReadable(conf);
        account.makeTraversable(environment.workDir(), base);
        Path first = writeDescriptor(descriptor, 1);
        long offset = size(output);
        daemon.start(TomcatConfigs.command(home, base, settings.heapMb(), account), base, environment.address(),
                settings.port());
        try {
            awaitDeployment(first, offset);
        } catch (RuntimeException failed) {
            stop(); // a Tomcat without the application would answer every request with 404
            throw failed;
        }
    }

    private void deploy(String descriptor, int number) throws IOException {
        long offset = size(output);
        Path file = writeDescriptor(descriptor, number);
        try {
            awaitDeployment(file, offset);
        } catch (RuntimeException failed) {
            Files.deleteIfExists(file); // Tomcat undeploys it; the previous version keeps serving
            throw failed;
        }
        // Activating a version means everybody gets it: Tomcat undeploys the older ones within a second.
        for (Path old : descriptorsByNumber()) {
            if (number(old) < number) {
                Files.deleteIfExists(old);
            }
        }
    }

    private Path writeDescriptor(String descriptor, int number) throws IOException {
        Path file = descriptors.resolve(String.format("%s%06d.xml", DESCRIPTOR_PREFIX, number));
        Path partial = descriptors.resolve(".partial.xml.tmp");
        Files.writeString(partial, descriptor);
        account.makeReadable(partial);
        // Tomcat scans the folder every second: it must only ever see a complete descriptor
        Files.move(partial, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return file;
    }

    /**
     * Follows Tomcat's output from {@code offset} until it reports the descriptor deployed; a context that failed to
     * start (Tomcat still reports the descriptor "deployed") or a Tomcat that exits is an error with its messages.
     */
    private void awaitDeployment(Path descriptor, long offset) throws IOException {
        String finished = "Deployment of deployment descriptor [" + descriptor + "] has finished";
        String failedContext = "Context [##" + String.format("%06d", number(descriptor)) + "] startup failed";
        String failedDescriptor = "Error deploying deployment descriptor [" + descriptor + "]";
        long deadline = System.nanoTime() + DEPLOY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            String log = readFrom(output, offset);
            if (log.contains(failedDescriptor) || log.contains(failedContext)) {
                throw new IllegalStateException("the application failed to start on Tomcat: " + severe(log));
            }
            if (log.contains(finished)) {
                return;
            }
            if (!daemon.isRunning()) {
                throw new IllegalStateException("Tomcat exited: " + lastLines(log));
            }
            sleep();
        }
        throw new IllegalStateException("Tomcat did not deploy the application within " + DEPLOY_TIMEOUT.toSeconds()
                + " s: " + lastLines(readFrom(output, offset)));
    }

    private Optional<Path> newestDescriptor() throws IOException {
        List<Path> all = descriptorsByNumber();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    private List<Path> descriptorsByNumber() throws IOException {
        if (!Files.isDirectory(descriptors)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(descriptors)) {
            return entries.filter(p -> DESCRIPTOR.matcher(p.getFileName().toString()).matches())
                    .sorted((a, b) -> Integer.compare(number(a), number(b))).toList();
        }
    }

    private static int number(Path descriptor) {
        Matcher matcher = DESCRIPTOR.matcher(descriptor.getFileName().toString());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a context version: " + descriptor);
        }
        return Integer.parseInt(matcher.group(1));
    }

    private int runningHeapMb() throws IOException {
        String heap = readIfExists(base.resolve("heap"));
        return heap == null ? -1 : Integer.parseInt(heap.trim());
    }

    /** The first line of every SEVERE message: what went wrong, without the stack traces. */
    private static String severe(String log) {
        List<String> lines = new ArrayList<>();
        log.lines().filter(l -> l.contains(" SEVERE ")).forEach(l -> lines.add(l.substring(l.indexOf(" SEVERE ") + 8)));
        return lines.isEmpty() ? lastLines(log) : String.join(" | ", lines);
    }

    private static String lastLines(String log) {
        List<String> lines = log.lines().filter(l -> !l.isBlank()).toList();
        return lines.isEmpty() ? "(no output)" : String.join(" | ", lines.subList(Math.max(0, lines.size() - 5),
                lines.size()));
    }

    private static String readIfExists(Path file) throws IOException {
        return Files.isRegularFile(file) ? Files.readString(file) : null;
    }

    private static long size(Path file) throws IOException {
        return Files.exists(file) ? Files.size(file) : 0;
    }

    private static String readFrom(Path file, long offset) throws IOException {
        if (!Files.exists(file)) {
            return "";
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length() - offset;
            if (length <= 0) {
                return "";
            }
            byte[] bytes = new byte[(int) Math.min(length, 8 << 20)];
            in.seek(offset);
            in.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Tomcat", e);
        }
    }
}
