package org.conpaas.itests;

import static org.conpaas.itests.DirectorTestSupport.basic;
import static org.conpaas.itests.DirectorTestSupport.eventually;
import static org.conpaas.itests.DirectorTestSupport.json;
import static org.conpaas.itests.DirectorTestSupport.karafBase;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PrivilegedExceptionAction;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;
import javax.security.auth.Subject;

import com.fasterxml.jackson.databind.JsonNode;

import org.apache.karaf.shell.api.console.Command;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelDirectTcpip;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.conpaas.api.director.Director;
import org.conpaas.api.model.ApplicationInfo;
import org.conpaas.itests.DirectorTestSupport.Api;
import org.conpaas.itests.DirectorTestSupport.Reply;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TestWatcher;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.util.Filter;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Logging in to the real distribution: HTTP Basic with the first administrator's password and with a user it
 * creates, HTTPS with the director's certificate, client certificates (valid, expired, forged, tampered, of a
 * deleted user), the shell over ssh (bin/client) as a created user, and the confinement of a plain user's shell
 * (docs/decisions.md "Shell confinement"). One container boot; each test has its own user.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SecurityIT {

    private static final Duration UP = Duration.ofSeconds(90);

    /** The first boot of a loaded machine may take longer than Pax Exam's default 10 s to offer the director. */
    @Inject
    @Filter(timeout = 120_000)
    private Director director;

    @Before
    public void awaitDirectorReady() throws Exception {
        DirectorTestSupport.awaitReady(director);
    }

    @Inject
    private SessionFactory sessionFactory;

    @Rule
    public TestWatcher keepLog = DirectorTestSupport.keepLogOnFailure();

    @Configuration
    public Option[] config() {
        // as the other tests, but with Karaf's ssh server running: the shell test logs in through it
        return DirectorTestSupport.distributionWithSsh("security");
    }

    private static Path data() {
        return Paths.get(System.getProperty("karaf.data"));
    }

    private static int httpPort() {
        return Integer.parseInt(System.getProperty(DirectorTestSupport.HTTP_PORT_PROPERTY));
    }

    private static URI https(String path) {
        return URI.create("https://127.0.0.1:" + System.getProperty(DirectorTestSupport.HTTPS_PORT_PROPERTY)
                + "/api/v1" + path);
    }

    private static X509Certificate ca() throws Exception {
        return ClientCertificates.certificate(Files.readAllBytes(data().resolve("conpaas/pki/ca-cert.pem")));
    }

    private Api admin() throws Exception {
        Api api = DirectorTestSupport.containerApi();
        return api;
    }

    /** Creates a user through the REST API as the first administrator; returns the API as that user. */
    private Api newUser(String name, String password) throws Exception {
        Api admin = admin();
        Reply created = admin.post("/users", json("username", name, "email", name + "@example.org",
                "password", password, "firstName", name, "lastName", "Tester"));
        assertEquals(created.toString(), 201, created.status);
        return admin.as(name, password);
    }

    /** HTTPS answers once pax-web has restarted Jetty with the director's key stores (first boot). */
    private static HttpResponse<String> send(HttpClient client, HttpRequest request) throws Exception {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest get(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build();
    }

    private static HttpRequest postJson(URI uri, String body) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** The certificate zip of a user, over plain HTTP with Basic (as curl -u would). */
    private static Map<String, String> certificateZip(String user, String password) throws Exception {
        HttpResponse<byte[]> zip = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + httpPort() + "/api/v1/users/me/certificate"))
                .header("Authorization", basic(user, password)).POST(HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(new String(zip.body(), StandardCharsets.UTF_8), 200, zip.statusCode());
        assertEquals("application/zip", zip.headers().firstValue("Content-Type").orElse(""));
        assertEquals("attachment; filename=\"certs.zip\"", zip.headers().firstValue("Content-Disposition").orElse(""));
        return ClientCertificates.unzip(zip.body());
    }

    @Test
    public void passwordLoginOverRest() throws Exception {
        Api admin = admin();
        HttpResponse<String> anonymous = HttpClient.newHttpClient().send(
                get(URI.create("http://127.0.0.1:" + httpPort() + "/api/v1/applications")),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, anonymous.statusCode());
        assertEquals("Basic realm=\"ConPaaS\"", anonymous.headers().firstValue("WWW-Authenticate").orElse(""));
        admin.get("/applications").ok();

        Api carol = newUser("carol", "carol-Pa55word");
        JsonNode app = carol.post("/applications", json("name", "carols-shop")).ok();
        assertEquals("carol", app.path("owner").asText());
        assertEquals("carol", director.application("carol", "carols-shop").owner());

        admin.as("carol", "wrong password").get("/applications").problem(401, "invalid username or password");
        admin.as("nobody-here", "carol-Pa55word").get("/applications")
                .problem(401, "invalid username or password");
    }

    @Test
    public void httpsServesTheDirectorsCertificate() throws Exception {
        admin();
        HttpClient client = ClientCertificates.client(ca(), null, null);
        eventually("HTTPS up with the director's certificate", UP,
                () -> send(client, get(https("/version"))).statusCode() == 200);
        HttpResponse<String> version = send(client, get(https("/version")));
        X509Certificate served = (X509Certificate) version.sslSession().orElseThrow().getPeerCertificates()[0];
        served.verify(ca().getPublicKey());
        assertTrue(served.getSubjectX500Principal().getName(), served.getSubjectX500Principal().getName()
                .contains("O=ConPaaS"));
        // the name clients use is in the certificate: localhost works as well as 127.0.0.1
        URI byName = URI.create(https("/version").toString().replace("127.0.0.1", "localhost"));
        assertEquals(200, send(client, get(byName)).statusCode());
        // HTTPS alone is no login
        assertEquals(401, send(client, get(https("/applications"))).statusCode());
        HttpRequest withPassword = HttpRequest.newBuilder(https("/applications"))
                .header("Authorization", basic("admin", DirectorTestSupport.adminPassword(data()))).GET().build();
        assertEquals(200, send(client, withPassword).statusCode());
    }

    @Test
    public void aClientCertificateLogsInOverHttps() throws Exception {
        newUser("frank", "frank-Pa55word");
        Map<String, String> zip = certificateZip("frank", "frank-Pa55word");
        assertEquals(List.of("cert.pem", "key.pem", "ca_cert.pem"), List.copyOf(zip.keySet()));
        X509Certificate cert = ClientCertificates.certificate(zip.get("cert.pem"));
        assertEquals(ca(), ClientCertificates.certificate(zip.get("ca_cert.pem")));
        assertTrue(cert.getSubjectX500Principal().getName(), cert.getSubjectX500Principal().getName()
                .startsWith("CN=frank,OU=user,O=ConPaaS,UID=frank"));

        HttpClient client = ClientCertificates.client(ca(), ClientCertificates.privateKey(zip.get("key.pem")), cert);
        eventually("HTTPS up", UP, () -> send(client, get(https("/version"))).statusCode() == 200);
        HttpResponse<String> created = send(client, postJson(https("/applications"), "{\"name\":\"franks-app\"}"));
        assertEquals(created.body(), 201, created.statusCode());
        assertEquals("frank", DirectorTestSupport.mapper().readTree(created.body()).path("owner").asText());
        HttpResponse<String> listed = send(client, get(https("/applications")));
        assertEquals(200, listed.statusCode());
        assertTrue(listed.body(), listed.body().contains("franks-app"));
    }

    @Test
    public void expiredForgedTamperedAndDeletedUsersCertificatesAreRefused() throws Exception {
        newUser("tammy", "tammy-Pa55word");
        Map<String, String> zip = certificateZip("tammy", "tammy-Pa55word");
        X509Certificate cert = ClientCertificates.certificate(zip.get("cert.pem"));
        PrivateKey key = ClientCertificates.privateKey(zip.get("key.pem"));
        HttpClient valid = ClientCertificates.client(ca(), key, cert);
        eventually("HTTPS up", UP, () -> send(valid, get(https("/version"))).statusCode() == 200);
        assertEquals(200, send(valid, get(https("/applications"))).statusCode());

        PrivateKey caKey = ClientCertificates.privateKey(data().resolve("conpaas/pki/ca-key.pem"));
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        PrivateKey foreignKey = generator.generateKeyPair().getPrivate();
        List<X509Certificate> refused = List.of(
                ClientCertificates.expired(cert, caKey),                 // signed by our CA, but expired
                ClientCertificates.resigned(cert, foreignKey),           // our CA's name, another CA's signature
                ClientCertificates.tampered(cert, "tammy", "admin"));    // the name changed after signing
        for (X509Certificate bad : refused) {
            HttpClient client = ClientCertificates.client(ca(), key, bad);
            // the TLS layer verifies client certificates against the director's CA (its trust store)
            assertThrows(bad.getSubjectX500Principal() + " " + bad.getNotAfter(), IOException.class,
                    () -> send(client, get(https("/applications"))));
        }

        director.deleteUser("admin", "tammy");
        HttpResponse<String> deleted = send(valid, get(https("/applications")));
        assertEquals(deleted.body(), 401, deleted.statusCode());
        assertEquals("user tammy no longer exists",
                DirectorTestSupport.mapper().readTree(deleted.body()).path("detail").asText());
    }

    @Test
    public void theShellOverSshActsAsTheLoggedInUser() throws Exception {
        newUser("oscar", "oscar-Pa55word");
        BinClient.Result created = BinClient.run("oscar", "oscar-Pa55word", "cps:application-create oscars-app");
        assertEquals(created.output, 0, created.exit);
        List<String> owned = new ArrayList<>();
        director.applications("oscar").forEach((ApplicationInfo a) -> owned.add(a.name()));
        assertEquals(List.of("oscars-app"), owned);

        BinClient.Result refused = BinClient.run("oscar", "oscar-Pa55word", "cps:application-list --user admin");
        assertNotEquals(refused.output, 0, refused.exit);
        assertTrue(refused.output, refused.output.contains("Only administrators may act for another user with --user."));

        BinClient.Result forOscar = BinClient.run("admin", DirectorTestSupport.adminPassword(data()),
                "cps:application-list --no-format --user oscar");
        assertEquals(forOscar.output, 0, forOscar.exit);
        assertTrue(forOscar.output, forOscar.output.contains("oscars-app"));

        assertFalse(created.output, created.output.contains("initialization script"));

        BinClient.Result wrong = BinClient.run("oscar", "not-the-password", "cps:application-list");
        assertNotEquals(wrong.output, 0, wrong.exit);
    }

    /** What the console prints, whatever the command, when a plain user may not run it. */
    private static final String REFUSED = "Error executing command: Insufficient credentials.";

    /** Karaf's operator commands (every scope but cps and the top-level one), as the administrator's shell lists them. */
    private Set<String> operatorCommands(Subject admin) throws Exception {
        List<Command> commands = Subject.doAs(admin,
                (PrivilegedExceptionAction<List<Command>>) () -> sessionFactory.getRegistry().getCommands());
        Set<String> names = new TreeSet<>();
        for (Command command : commands) {
            if (!"cps".equals(command.getScope()) && !"*".equals(command.getScope())) {
                names.add(command.getScope() + ":" + command.getName());
            }
        }
        return names;
    }

    private static void assertRefused(ShellSessions.Line line) {
        assertTrue(line.toString(), refused(line));
    }

    private static boolean refused(ShellSessions.Line line) {
        return line.error != null && REFUSED.equals(line.printed);
    }

    @Test
    public void aPlainUsersShellRefusesEveryOperatorCommandWithOneSentence() throws Exception {
        newUser("mallory", "mallory-Pa55word");
        Subject mallory = ShellSessions.login("mallory", "mallory-Pa55word");
        Subject admin = ShellSessions.login("admin", DirectorTestSupport.adminPassword(data()));
        ShellSessions shells = new ShellSessions(sessionFactory);

        Set<String> operator = operatorCommands(admin);
        for (String family : List.of("bundle:list", "bundle:install", "shell:exec", "shell:cat", "shell:tac",
                "shell:grep", "shell:head", "shell:tail", "shell:wc", "shell:sort", "shell:less", "shell:nano",
                "shell:echo", "shell:new", "shell:addCommand", "shell:eval", "shell:each", "scr:disable",
                "feature:install", "config:list", "config:edit", "log:set", "log:display", "jaas:realm-list",
                "instance:create", "system:property", "system:shutdown", "cxf:list-endpoints", "kar:install",
                "package:exports", "service:list", "ssh:ssh")) {
            assertTrue(family + " in " + operator, operator.contains(family));
        }
        try (ShellSessions.Shell shell = shells.open(mallory, "mallory")) {
            // every operator command, present and future: refused before it parses its arguments, so --help is safe
            List<String> answered = new ArrayList<>();
            for (String command : operator) {
                ShellSessions.Line line = shell.run(command + " --help");
                if (!refused(line)) {
                    answered.add(line.toString());
                }
            }
            assertEquals(String.join("\n", answered), 0, answered.size());

            Path password = data().resolve("conpaas/admin-password.txt");
            Path planted = data().resolve("planted-by-mallory.txt");
            List<String> attacks = List.of(
                    "cat " + password, "shell:cat " + password, "grep . " + password,
                    "head " + password, "tail " + password, "wc " + password, "sort " + password,
                    "less " + password, "more " + password, "edit " + password, "ls " + data(), "shell:ls /",
                    "echo x", "echo x > " + planted, "echo x >> " + planted,
                    // redirection is refused on its own, also around a command the user may run
                    // (Karaf's line parser takes a lone "<" for the start of a "<...>" group, so an input
                    // redirection comes with an output one)
                    "cps:application-list > " + planted, "tac < " + password + " > " + planted,
                    "cps:application-list < " + password + " > " + planted,
                    "cps:application-list $(cat " + password + ")", "cps:application-list | grep x",
                    // aliases of the init script, closures, substitution, control flow, eval
                    "la", "ld", "ls", "cl org.ops4j.pax.web", "log:list", "service:get x",
                    "x = { bundle:list } ; x", "$(bundle:list)", "each [1] { bundle:list }",
                    "if { true } { bundle:list }", "eval bundle:list", "addCommand evil $.context",
                    // method calls on the session's objects and object creation
                    "($.context bundles)", "$.context bundles", "$.context . bundles", "$.session registry",
                    "(new java.io.File " + planted + ") createNewFile", "new java.io.File " + planted,
                    // the exact attacks of issue 10
                    "shell:exec id", "exec id", "scr:disable org.conpaas.core.internal.director.DirectorService",
                    "log:set DEBUG", "log:display", "config:list", "instance:create evil", "bundle:list",
                    "jaas:realm-list", "cxf:list-endpoints");
            for (String attack : attacks) {
                assertRefused(shell.run(attack));
            }
            assertFalse("a plain user wrote " + planted, Files.exists(planted));
            // a refused command before the end of a pipe: Gogo prints the refusal its own way and runs the rest
            ShellSessions.Line piped = shell.run("bundle:list | cps:application-list");
            assertTrue(piped.toString(), piped.printed.contains("gogo: SecurityException: Insufficient credentials.")
                    && !piped.printed.contains("Active"));

            // a subshell is only a name: its commands are checked as if typed with their scope
            assertEquals(null, shell.run("bundle").error);
            assertRefused(shell.run("list"));
            assertEquals(null, shell.run("exit").error);

            // Gogo shows an object a line evaluates to by calling its getters: not for a plain user
            Object context = shell.run("$.context").result;
            assertEquals(String.valueOf(context), shell.show(context));

            // the tenant's commands work and act as the user; help is there
            assertEquals(null, shell.run("cps:application-create mallorys-app").error);
            ShellSessions.Line listed = shell.run("cps:application-list --no-format");
            assertTrue(listed.toString(), listed.error == null && listed.printed.contains("mallorys-app"));
            ShellSessions.Line usage = shell.run("cps:application-create --help");
            assertTrue(usage.toString(), usage.error == null && usage.printed.contains("application-create"));
            ShellSessions.Line help = shell.run("help");
            assertTrue(help.toString(), help.error == null && help.printed.contains("cps:application-create"));

            // files of the director's host: refused alike by the director's commands and the service types' own
            // (which ask SessionUser.hostFile), before anything else is looked at
            for (String hostFile : List.of("cps:code-upload mallorys-app web /etc/hostname",
                    "cps:flink-submit mallorys-app stream /etc/hostname",
                    "cps:mysql-load-dump mallorys-app db /etc/hostname",
                    "cps:mysql-dump -o " + planted + " mallorys-app db")) {
                ShellSessions.Line line = shell.run(hostFile);
                assertTrue(line.toString(), line.error != null && line.printed.toLowerCase(java.util.Locale.ROOT)
                        .contains("only administrators may read or write files on the director's host"));
            }
            assertFalse("a plain user wrote " + planted, Files.exists(planted));
        }
        List<String> owned = new ArrayList<>();
        director.applications("mallory").forEach((ApplicationInfo a) -> owned.add(a.name()));
        assertEquals(List.of("mallorys-app"), owned);

        // administrators keep the full console
        Path adminFile = data().resolve("written-by-admin.txt");
        try (ShellSessions.Shell shell = shells.open(admin, "admin")) {
            ShellSessions.Line bundles = shell.run("bundle:list");
            assertTrue(bundles.toString(), bundles.error == null && bundles.printed.contains("Active"));
            ShellSessions.Line context = shell.run("$.context bundles");
            assertTrue(context.toString(), context.error == null && ((Object[]) context.result).length > 50);
            assertTrue(shell.show(shell.run("$.context").result).contains("Bundles"));
            assertEquals(null, shell.run("echo admin > " + adminFile).error);
            assertEquals("admin", Files.readString(adminFile).strip());
        } finally {
            Files.deleteIfExists(adminFile);
        }
    }

    /** The same over ssh (bin/client), as an attacker would try it. */
    @Test
    public void overSshAPlainUserReadsAndWritesNoFileAndTheAdministratorKeepsTheConsole() throws Exception {
        newUser("trudy", "trudy-Pa55word");
        String adminPassword = DirectorTestSupport.adminPassword(data());
        BinClient.Result cat = BinClient.run("trudy", "trudy-Pa55word",
                "shell:cat " + data().resolve("conpaas/admin-password.txt"));
        String printed = ShellSessions.withoutAnsi(cat.output);
        assertNotEquals(printed, 0, cat.exit);
        assertTrue(printed, printed.contains(REFUSED));
        assertFalse(printed, printed.contains(adminPassword));
        assertFalse(printed, printed.contains("initialization script"));

        Path planted = data().resolve("planted-by-trudy.txt");
        BinClient.Result echo = BinClient.run("trudy", "trudy-Pa55word", "echo x > " + planted);
        assertNotEquals(echo.output, 0, echo.exit);
        assertTrue(echo.output, ShellSessions.withoutAnsi(echo.output).contains(REFUSED));
        assertFalse(Files.exists(planted));

        BinClient.Result bundles = BinClient.run("admin", adminPassword, "bundle:list");
        assertEquals(bundles.output, 0, bundles.exit);
        assertTrue(bundles.output, bundles.output.contains("Active"));
    }

    /**
     * Karaf's ssh server accepts every port forwarding unless told otherwise: a plain user could tunnel from the
     * director's host to anything it reaches. Both directions are refused (SshForwardingOff).
     */
    @Test
    public void aPlainUserOpensNoTunnelThroughTheSshServer() throws Exception {
        newUser("tunneler", "tunneler-Pa55word");
        int sshPort = Integer.parseInt(System.getProperty(DirectorTestSupport.SSH_PORT_PROPERTY));
        SshdSocketAddress director = new SshdSocketAddress("127.0.0.1", httpPort());
        SshClient ssh = SshClient.setUpDefaultClient();
        ssh.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
        ssh.start();
        try (ClientSession session = ssh.connect("tunneler", "127.0.0.1", sshPort).verify(30, TimeUnit.SECONDS)
                .getSession()) {
            session.addPasswordIdentity("tunneler-Pa55word");
            session.auth().verify(30, TimeUnit.SECONDS);

            ChannelDirectTcpip local = session.createDirectTcpipChannel(new SshdSocketAddress("127.0.0.1", 0),
                    director);
            OpenFuture open = local.open();
            open.await(30, TimeUnit.SECONDS);
            assertTrue("the server answered the tunnel request", open.isDone());
            assertFalse("a tunnel to the director's HTTP port was opened", open.isOpened());

            assertThrows(IOException.class, () -> session.startRemotePortForwarding(
                    new SshdSocketAddress("127.0.0.1", 0), director));
        } finally {
            ssh.stop();
        }
    }
}
