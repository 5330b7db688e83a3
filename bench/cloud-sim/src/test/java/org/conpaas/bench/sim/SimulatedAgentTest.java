package org.conpaas.bench.sim;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.conpaas.core.internal.bootstrap.UserData;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * A simulated agent started from the director's own user data, called over mutual TLS with certificates of a CA made
 * by the JDK's keytool (as the director's PKI makes them: CN node id, OU role, UID user, DC application).
 */
public class SimulatedAgentTest {
    private static final String PASSWORD = "store-pass";
    private static Path dir;
    private static AgentSimulator simulator;
    private static String vmId;
    private static String base;

    @BeforeClass
    public static void startOneNode() throws Exception {
        dir = Files.createTempDirectory("sim-agent-test");
        keytool("-genkeypair", "-keystore", "ca.p12", "-alias", "ca", "-dname", "CN=ca,O=ConPaaS", "-ext", "bc:c");
        keytool("-exportcert", "-rfc", "-keystore", "ca.p12", "-alias", "ca", "-file", "ca.pem");
        keytool("-importcert", "-noprompt", "-keystore", "trust.p12", "-alias", "ca", "-file", "ca.pem");
        issue("node", "CN=node-1,OU=agent,O=ConPaaS,UID=u1,DC=5");
        issue("director", "CN=director,OU=director,O=ConPaaS");
        issue("sibling", "CN=node-2,OU=agent,O=ConPaaS,UID=u1,DC=5");
        issue("stranger", "CN=node-9,OU=agent,O=ConPaaS,UID=u1,DC=6");
        String script = new UserData("node-1", Map.of("conpaas.node.id", "node-1", "conpaas.node.role", "node",
                "conpaas.user.id", "u1", "conpaas.application.id", "5", "conpaas.service.id", "1"),
                Files.readAllBytes(dir.resolve("node.p12")), Files.readAllBytes(dir.resolve("trust.p12")), PASSWORD,
                Files.readString(dir.resolve("ca.pem")), java.net.URI.create("https://127.0.0.1:1/agent"), "t", null)
                .render();
        simulator = new AgentSimulator("127.201.250.1");
        String[] started = simulator.launch("node-1", script).split(" ");
        vmId = started[0];
        base = "https://" + started[1] + ":" + started[2];
    }

    @AfterClass
    public static void stop() throws IOException {
        if (simulator != null) {
            simulator.terminate(List.of(vmId));
        }
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    public void answersTheDirectorAsTheNodeItsUserDataNames() throws Exception {
        String status = call("director", "GET", "/v1/status", null).body;
        assertTrue(status, status.contains("\"nodeId\":\"node-1\""));
        assertTrue(status, status.contains("\"applicationId\":\"5\""));
    }

    @Test
    public void installsAPluginAndRunsItsOperations() throws Exception {
        assertEquals(404, call("director", "POST", "/v1/plugins/other/operations/startup", "{}").status);
        Answer install = call("director", "PUT", "/v1/plugins/helloworld", bundle("1.2.3"));
        assertEquals(install.body, 200, install.status);
        assertTrue(call("director", "GET", "/v1/status", null).body.contains("\"helloworld\":\"1.2.3\""));
        assertEquals(200, call("director", "POST", "/v1/plugins/helloworld/operations/startup",
                "{\"string\": \"hi \\\"there\\\"\"}".getBytes(StandardCharsets.UTF_8)).status);
        assertEquals("{\"result\":\"hi \\\"there\\\"\"}",
                call("director", "POST", "/v1/plugins/helloworld/operations/get_helloworld", "{}").body);
        assertEquals(422, call("director", "PUT", "/v1/plugins/broken", "not a jar").status);
    }

    @Test
    public void letsInAgentsOfItsApplicationOnly() throws Exception {
        assertEquals(200, call("sibling", "GET", "/v1/status", null).status);
        assertEquals(403, call("stranger", "GET", "/v1/status", null).status);
    }

    @Test
    public void stopsListeningWhenTerminated() throws Exception {
        String script = new UserData("node-3", Map.of("conpaas.node.id", "node-3"),
                Files.readAllBytes(dir.resolve("node.p12")), Files.readAllBytes(dir.resolve("trust.p12")), PASSWORD,
                Files.readString(dir.resolve("ca.pem")), java.net.URI.create("https://127.0.0.1:1/agent"), "t", null)
                .render();
        String[] started = simulator.launch("node-3", script).split(" ");
        String url = "https://" + started[1] + ":" + started[2];
        assertEquals(200, call("director", "GET", url, "/v1/status", null).status);
        simulator.terminate(List.of(started[0]));
        assertThrows(ConnectException.class, () -> call("director", "GET", url, "/v1/status", null));
        assertThrows(IllegalArgumentException.class, () -> simulator.launch("node-4", script));
    }

    private record Answer(int status, String body) {
    }

    private static Answer call(String who, String method, String path, Object body) throws Exception {
        return call(who, method, base, path, body);
    }

    private static Answer call(String who, String method, String url, String path, Object body) throws Exception {
        HttpsURLConnection c = (HttpsURLConnection) new URL(url + path).openConnection();
        c.setSSLSocketFactory(tls(who).getSocketFactory());
        c.setHostnameVerifier((host, session) -> true);   // as the director: identity is the status' nodeId
        c.setRequestMethod(method);
        c.setConnectTimeout(5000);
        c.setReadTimeout(5000);
        if (body != null) {
            c.setDoOutput(true);
            try (OutputStream out = c.getOutputStream()) {
                out.write(body instanceof byte[] b ? b : body.toString().getBytes(StandardCharsets.UTF_8));
            }
        }
        int status = c.getResponseCode();
        try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
            return new Answer(status, in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static SSLContext tls(String who) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve(who + ".p12"))) {
            keys.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD.toCharArray());
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve("trust.p12"))) {
            trust.load(in, PASSWORD.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    private static byte[] bundle(String version) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Bundle-Version", version);
        ByteArrayOutputStream jar = new ByteArrayOutputStream();
        new JarOutputStream(jar, manifest).close();
        return jar.toByteArray();
    }

    /** A key pair signed by the test CA, in {@code <name>.p12} with its chain (alias node, as the director's). */
    private static void issue(String name, String dn) throws Exception {
        String store = name + ".p12";
        keytool("-genkeypair", "-keystore", store, "-alias", "node", "-dname", dn);
        keytool("-certreq", "-keystore", store, "-alias", "node", "-file", name + ".csr");
        keytool("-gencert", "-keystore", "ca.p12", "-alias", "ca", "-infile", name + ".csr", "-outfile", name + ".crt",
                "-ext", "eku=serverAuth,clientAuth");
        keytool("-importcert", "-noprompt", "-keystore", store, "-alias", "ca", "-file", "ca.pem");
        keytool("-importcert", "-noprompt", "-keystore", store, "-alias", "node", "-file", name + ".crt");
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool")
                .toString(), "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD));
        command.addAll(List.of(args));
        if (args[0].equals("-genkeypair")) {
            command.addAll(List.of("-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2"));
        }
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + out);
        }
    }
}
