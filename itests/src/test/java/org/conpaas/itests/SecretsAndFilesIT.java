package org.conpaas.itests;

import static org.conpaas.itests.DirectorTestSupport.basic;
import static org.conpaas.itests.DirectorTestSupport.eventually;
import static org.conpaas.itests.DirectorTestSupport.json;
import static org.conpaas.itests.DirectorTestSupport.karafBase;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivilegedExceptionAction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Dictionary;
import java.util.EnumSet;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.inject.Inject;
import javax.security.auth.Subject;

import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.conpaas.api.director.Director;
import org.conpaas.itests.DirectorTestSupport.Api;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TestWatcher;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.exam.util.Filter;
import org.ops4j.pax.logging.spi.PaxAppender;
import org.ops4j.pax.logging.spi.PaxLoggingEvent;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Issue 10, points 3 and 4 as an attacker would check them on the real distribution: after a run with DEBUG on the
 * root logger and on every logger that dumps HTTP traffic, logins and configurations (REST with Basic over HTTP and
 * HTTPS, a wrong password, a certificate zip download, a user created with a password, ssh logins, a configuration
 * holding a password), no password, Basic credential, key store password or private key is anywhere in a log file
 * under the Karaf home, in the in-memory log that log:display shows, or in what log:display prints; and every file
 * of the director's (etc/, data/conpaas, data/derby, data/log, the rest of data/) is readable by its owner only, also
 * one written after the start. One container boot.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SecretsAndFilesIT {

    private static final Duration UP = Duration.ofSeconds(90);
    private static final String USER = "dora";
    private static final String PASSWORD = "Dora-s3cret-Pa55";
    private static final String WRONG_PASSWORD = "Dora-wr0ng-Pa55";
    private static final String CONFIG_SECRET = "Itest-Cfg-S3cret";
    /** Loggers an administrator might turn up to chase a problem; each prints headers, logins or configurations. */
    private static final List<String> CHATTY_LOGGERS = List.of("org.eclipse.jetty", "org.ops4j.pax.web",
            "org.apache.cxf", "org.apache.cxf.transport.http", "org.apache.cxf.ext.logging",
            "org.apache.felix.configadmin", "org.apache.felix.fileinstall", "org.apache.karaf",
            "org.apache.karaf.jaas", "org.apache.karaf.shell.impl.console.osgi.LoggingCommandSessionListener",
            "org.apache.sshd", "org.conpaas");
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    @Inject
    private SessionFactory sessionFactory;

    @Inject
    private BundleContext bundleContext;

    @Inject
    private ConfigurationAdmin configAdmin;

    /** The first boot of a loaded machine may take longer than Pax Exam's default 10 s to offer the director. */
    @Inject
    @Filter(timeout = 120_000)
    private Director director;

    @Before
    public void awaitDirectorReady() throws Exception {
        DirectorTestSupport.awaitReady(director);
    }

    @Rule
    public TestWatcher keepLog = DirectorTestSupport.keepLogOnFailure();

    @Configuration
    public Option[] config() {
        // with Karaf's ssh server running: ssh logins with passwords are part of the DEBUG run
        return DirectorTestSupport.distributionWithSsh("secrets");
    }

    // ---------------------------------------------------------------------------------------------- point 3

    @Test
    public void noSecretReachesAnyLogAtDebugLevel() throws Exception {
        Api admin = DirectorTestSupport.containerApi();
        // everything log:display could show: the same events the in-memory appender gets, from now on
        List<String> memory = Collections.synchronizedList(new ArrayList<>());
        Hashtable<String, Object> appenderName = new Hashtable<>();
        appenderName.put("org.ops4j.pax.logging.appender.name", "conpaas-itest-memory");
        ServiceRegistration<PaxAppender> recorder = bundleContext.registerService(PaxAppender.class,
                (PaxLoggingEvent event) -> memory.add(rendered(event)), appenderName);
        try {
            setLevels("DEBUG");
            Path karafLog = data().resolve("log/karaf.log");
            eventually("DEBUG lines in karaf.log", UP,
                    () -> Files.readString(karafLog, StandardCharsets.ISO_8859_1).contains("| DEBUG |"));

            // a user with a password, created through the API (the password travels in a JSON body)
            assertEquals(201, admin.post("/users", json("username", USER, "email", USER + "@example.org",
                    "password", PASSWORD, "firstName", "Dora", "lastName", "Tester")).status);
            Api dora = admin.as(USER, PASSWORD);
            dora.get("/applications").ok();
            dora.post("/applications", json("name", "doras-shop")).ok();
            admin.as(USER, WRONG_PASSWORD).get("/applications").problem(401, "invalid username or password");
            Map<String, String> zip = certificateZip();
            httpsWithBasic();
            // a configuration holding a password, through Config Admin (logged at DEBUG as a dictionary)
            shell("config:edit org.conpaas.itest.secrets\nconfig:property-set password " + CONFIG_SECRET
                    + "\nconfig:update");
            // ssh logins with the right and a wrong password
            BinClient.Result ssh = BinClient.run(USER, PASSWORD, "cps:application-list");
            assertEquals(ssh.output, 0, ssh.exit);
            assertNotEquals(0, BinClient.run(USER, WRONG_PASSWORD, "cps:application-list").exit);
            String display = shell("log:display");

            Map<String, String> secrets = secrets(zip);
            Map<String, String> logs = new LinkedHashMap<>();
            for (Path file : logFiles()) {
                logs.put(karafBase().relativize(file).toString(), Files.readString(file, StandardCharsets.ISO_8859_1));
            }
            logs.put("the in-memory log (log:display's events)", String.join("\n", new ArrayList<>(memory)));
            logs.put("log:display", display);
            List<String> leaks = new ArrayList<>();
            for (Map.Entry<String, String> log : logs.entrySet()) {
                for (Map.Entry<String, String> secret : secrets.entrySet()) {
                    if (log.getValue().contains(secret.getValue())) {
                        leaks.add(secret.getKey() + " in " + log.getKey());
                    }
                }
                if (log.getValue().toLowerCase().contains("authorization: basic ")) {
                    leaks.add("an Authorization: Basic header in " + log.getKey());
                }
            }
            assertEquals("secrets in logs", List.of(), leaks);

            // the run could have leaked: the loggers were at DEBUG, saw the requests and the headers, masked
            String file = logs.get("data/log/karaf.log");
            assertTrue("Jetty logged the requests at DEBUG", file.contains("/api/v1/users/me/certificate"));
            assertTrue("CXF logged the headers, masked", file.contains("Authorization=[***]"));
            assertTrue("Config Admin logged the configuration, masked", file.contains("password=***"));
            assertTrue("the in-memory log got the DEBUG run too",
                    logs.get("the in-memory log (log:display's events)").contains("Authorization=[***]"));
        } finally {
            recorder.unregister(); // the levels stay: the container ends with this class
        }
    }

    /**
     * Sets the root logger and every chatty logger to a level in one update of Pax Logging's configuration (as
     * log:set does, but at once: one reconfiguration of the logging instead of one per logger).
     */
    private void setLevels(String level) throws IOException {
        org.osgi.service.cm.Configuration logging = configAdmin.getConfiguration("org.ops4j.pax.logging", null);
        Dictionary<String, Object> properties = logging.getProperties();
        properties.put("log4j2.rootLogger.level", level);
        Map<String, String> keyOfLogger = new HashMap<>();
        for (Enumeration<String> keys = properties.keys(); keys.hasMoreElements();) {
            String key = keys.nextElement();
            if (key.startsWith("log4j2.logger.") && key.endsWith(".name")) {
                keyOfLogger.put(String.valueOf(properties.get(key)), key.substring(0, key.length() - ".name".length()));
            }
        }
        int added = 0;
        for (String logger : CHATTY_LOGGERS) {
            String key = keyOfLogger.get(logger);
            if (key == null) {
                key = "log4j2.logger.itest" + added++;
                properties.put(key + ".name", logger);
            }
            properties.put(key + ".level", level);
        }
        logging.update(properties);
    }

    /** Every secret of this run, by what it is (the failure message names the kind, never the value). */
    private Map<String, String> secrets(Map<String, String> zip) throws IOException {
        Map<String, String> secrets = new LinkedHashMap<>();
        String adminPassword = DirectorTestSupport.adminPassword(data());
        secrets.put("the user's password", PASSWORD);
        secrets.put("the wrong password", WRONG_PASSWORD);
        secrets.put("the user's Basic credentials", basic(USER, PASSWORD).substring("Basic ".length()));
        secrets.put("the wrong Basic credentials", basic(USER, WRONG_PASSWORD).substring("Basic ".length()));
        secrets.put("the administrator's password", adminPassword);
        secrets.put("the administrator's Basic credentials", basic("admin", adminPassword).substring(6));
        secrets.put("the password in a configuration", CONFIG_SECRET);
        secrets.put("the key store password",
                Files.readString(data().resolve("conpaas/pki/https-keystore.password")).strip());
        Properties web = new Properties();
        try (var in = Files.newInputStream(karafBase().resolve("etc/org.ops4j.pax.web.cfg"))) {
            web.load(in);
        }
        for (String key : web.stringPropertyNames()) {
            if (key.endsWith("password")) {
                assertFalse(key + " is empty", web.getProperty(key).isBlank());
                secrets.put(key + " of etc/org.ops4j.pax.web.cfg", web.getProperty(key).strip());
            }
        }
        pemBody("the CA key", Files.readString(data().resolve("conpaas/pki/ca-key.pem")), secrets);
        pemBody("the user's private key", zip.get("key.pem"), secrets);
        return secrets;
    }

    /** The lines of a PEM private key's body, each a secret of its own (a log line may hold one of them). */
    private static void pemBody(String what, String pem, Map<String, String> secrets) {
        List<String> lines = pem.lines().filter(l -> !l.startsWith("-----") && l.length() >= 16)
                .collect(Collectors.toList());
        assertFalse(what + " has a body", lines.isEmpty());
        for (int i = 0; i < lines.size(); i++) {
            secrets.put(what + " (line " + (i + 1) + ")", lines.get(i));
        }
    }

    /** Every log file under the Karaf home: data/log and anything else named like a log, the nodes' included. */
    private static List<Path> logFiles() throws IOException {
        try (Stream<Path> walk = Files.walk(karafBase())) {
            List<Path> files = walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .filter(p -> p.startsWith(data().resolve("log")) || p.getFileName().toString().matches(
                            ".*\\.(log|out|err)(\\.\\d+)?")).collect(Collectors.toList());
            assertTrue("karaf.log is among " + files, files.contains(data().resolve("log/karaf.log")));
            return files;
        }
    }

    private static String rendered(PaxLoggingEvent event) {
        StringBuilder text = new StringBuilder(event.getLoggerName()).append(' ').append(event.getRenderedMessage());
        String[] trace = event.getThrowableStrRep();
        if (trace != null) {
            for (String line : trace) {
                text.append('\n').append(line);
            }
        }
        return text.toString();
    }

    /** The user's certificate zip over plain HTTP with Basic (the response holds the user's private key). */
    private Map<String, String> certificateZip() throws Exception {
        HttpResponse<byte[]> zip = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + System.getProperty(DirectorTestSupport.HTTP_PORT_PROPERTY)
                        + "/api/v1/users/me/certificate"))
                .header("Authorization", basic(USER, PASSWORD)).POST(HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, zip.statusCode());
        return ClientCertificates.unzip(zip.body());
    }

    /** A Basic login over HTTPS (once Jetty serves the director's certificate). */
    private void httpsWithBasic() throws Exception {
        HttpClient client = ClientCertificates.client(ClientCertificates.certificate(
                Files.readAllBytes(data().resolve("conpaas/pki/ca-cert.pem"))), null, null);
        URI uri = URI.create("https://127.0.0.1:" + System.getProperty(DirectorTestSupport.HTTPS_PORT_PROPERTY)
                + "/api/v1/applications");
        eventually("HTTPS login with Basic", UP, () -> client.send(HttpRequest.newBuilder(uri)
                .header("Authorization", basic(USER, PASSWORD)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
    }

    // ---------------------------------------------------------------------------------------------- point 4

    @Test
    public void theDirectorsFilesAreReadableByTheirOwnerOnly() throws Exception {
        DirectorTestSupport.containerApi(); // the director has started (and written its key stores)
        Path etc = karafBase().resolve("etc");
        Path data = data();
        // files the director and Karaf wrote at the first start, each holding a secret
        for (Path secret : List.of(data.resolve("conpaas/admin-password.txt"), data.resolve("conpaas/pki/ca-key.pem"),
                data.resolve("conpaas/pki/https-keystore.password"), data.resolve("conpaas/pki/https-keystore.p12"),
                etc.resolve("org.ops4j.pax.web.cfg"), etc.resolve("host.key"), data.resolve("log/karaf.log"))) {
            assertTrue(secret + " exists", Files.isRegularFile(secret));
        }
        assertTrue("the Derby database is in data/derby", Files.isDirectory(data.resolve("derby/conpaas/seg0")));

        // the watcher closes what appears after the start within milliseconds; 20 s is plenty on a loaded machine
        List<String> open = openEntries(etc, data);
        for (int i = 0; i < 100 && !open.isEmpty(); i++) {
            Thread.sleep(200);
            open = openEntries(etc, data);
        }
        assertEquals("readable by other accounts", List.of(), open);

        // written after the start: a configuration saved by File Install, and a file another tool leaves open
        shell("config:edit org.conpaas.itest.later\nconfig:property-set password later-S3cret\nconfig:update");
        Path saved = etc.resolve("org.conpaas.itest.later.cfg");
        eventually("File Install saved " + saved, UP, () -> Files.isRegularFile(saved));
        eventually(saved + " readable by its owner only", Duration.ofSeconds(10), () -> !readableByOthers(saved));
        Path dropped = data.resolve("conpaas/dropped-later.txt");
        Files.writeString(dropped, "x");
        Files.setPosixFilePermissions(dropped, PosixFilePermissions.fromString("rw-r--r--"));
        eventually(dropped + " readable by its owner only", Duration.ofSeconds(10), () -> !readableByOthers(dropped));
        Files.setPosixFilePermissions(saved, PosixFilePermissions.fromString("rw-rw-r--"));
        eventually(saved + " made readable again, and closed again", Duration.ofSeconds(10),
                () -> !readableByOthers(saved));
        Files.delete(dropped);
    }

    /** What group or others may use in etc/, the director's data, Derby's files, the logs and at the top of data/. */
    private static List<String> openEntries(Path etc, Path data) throws IOException {
        List<String> open = new ArrayList<>();
        for (Path tree : List.of(etc, data.resolve("conpaas"), data.resolve("derby"), data.resolve("log"))) {
            try (Stream<Path> walk = Files.walk(tree)) {
                walk.filter(SecretsAndFilesIT::readableByOthers).forEach(p -> open.add(describe(p)));
            } catch (java.io.UncheckedIOException gone) {
                open.add(tree + " changed during the walk: " + gone.getMessage());
            }
        }
        // the rest of data/ (Karaf's cache with its copies of every configuration, Pax Web's files, ...) is closed at
        // its top level; only the local cloud's folder stays open, for the node accounts
        try (Stream<Path> top = Files.list(data)) {
            top.filter(p -> !p.getFileName().toString().equals("cloud-local"))
                    .filter(SecretsAndFilesIT::readableByOthers).forEach(p -> open.add(describe(p)));
        }
        return open;
    }

    private static boolean readableByOthers(Path path) {
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
            mode.retainAll(GROUP_OR_OTHERS);
            return !mode.isEmpty() && !Files.isSymbolicLink(path);
        } catch (IOException gone) {
            return false; // a temporary file that went away during the walk
        }
    }

    private static String describe(Path path) {
        try {
            return karafBase().relativize(path) + " "
                    + PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
        } catch (IOException e) {
            return path + " (gone)";
        }
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private static Path data() {
        return Paths.get(System.getProperty("karaf.data"));
    }

    /** Runs shell commands (one per line) as the first administrator; fails with their output if one fails. */
    private String shell(String commands) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Session session = sessionFactory.create(new ByteArrayInputStream(new byte[0]), out, out);
        session.put("USER", "admin");
        session.put("APPLICATION", System.getProperty("karaf.name", "root"));
        Subject subject = new Subject();
        subject.getPrincipals().add(new UserPrincipal("admin"));
        for (String role : List.of("admin", "manager", "viewer", "systembundles", "ssh")) {
            subject.getPrincipals().add(new RolePrincipal(role));
        }
        try {
            for (String command : commands.split("\n")) {
                Object result = Subject.doAs(subject,
                        (PrivilegedExceptionAction<Object>) () -> session.execute(command));
                if (result != null) {
                    out.println(result);
                }
            }
        } catch (java.security.PrivilegedActionException e) {
            throw new AssertionError("'" + commands + "' failed: " + bytes.toString(StandardCharsets.UTF_8),
                    e.getException());
        } finally {
            out.flush();
            session.close();
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

}
