package org.conpaas.core.internal.security;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.osgi.service.cm.Configuration;

public class HttpsKeyStoresTest {

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    @Test
    public void theServerCertificateNamesTheLoopbackAndTheConfiguredHostAndIsKept() throws Exception {
        Path dir = temp.getRoot().toPath().resolve("pki");
        BouncyCastlePki pki = new BouncyCastlePki(dir);
        HttpsKeyStores.Stores stores = HttpsKeyStores.prepare(pki, dir, "director.example.org");

        assertEquals(PosixFilePermissions.fromString("rw-------"),
                Files.getPosixFilePermissions(stores.keyStore()));
        KeyStore keys = load(stores.keyStore(), stores.password());
        X509Certificate server = (X509Certificate) keys.getCertificate(HttpsKeyStores.KEY_ALIAS);
        assertEquals(2, keys.getCertificateChain(HttpsKeyStores.KEY_ALIAS).length);
        server.verify(pki.caCertificate().getPublicKey());
        assertEquals(Set.of("127.0.0.1", "0:0:0:0:0:0:0:1", "localhost", "director.example.org"),
                HttpsKeyStores.namesIn(server));
        assertEquals(List.of(KeyPurposeId.id_kp_serverAuth.getId()), server.getExtendedKeyUsage());
        assertEquals(HttpsKeyStores.fingerprint(server), stores.fingerprint());
        KeyStore trust = load(stores.trustStore(), stores.password());
        assertEquals(pki.caCertificate(), trust.getCertificate("ca"));

        // a second start with the same settings changes nothing: pax-web need not restart
        byte[] before = Files.readAllBytes(stores.keyStore());
        HttpsKeyStores.Stores again = HttpsKeyStores.prepare(new BouncyCastlePki(dir), dir, "director.example.org");
        assertEquals(stores, again);
        assertArrayEquals(before, Files.readAllBytes(stores.keyStore()));

        // another host name means another certificate
        HttpsKeyStores.Stores renamed = HttpsKeyStores.prepare(pki, dir, "");
        assertNotEquals(stores.fingerprint(), renamed.fingerprint());
        X509Certificate reissued = (X509Certificate) load(renamed.keyStore(), renamed.password())
                .getCertificate(HttpsKeyStores.KEY_ALIAS);
        assertEquals(Set.of("127.0.0.1", "0:0:0:0:0:0:0:1", "localhost"), HttpsKeyStores.namesIn(reissued));
    }

    @Test
    public void paxWebIsReconfiguredOnlyWhenTheSettingsChange() throws Exception {
        Hashtable<String, Object> properties = new Hashtable<>(Map.of("org.osgi.service.http.port", "8181"));
        List<Dictionary<String, ?>> updates = new ArrayList<>();
        Configuration configuration = configuration(properties, updates);
        Path dir = temp.getRoot().toPath();
        HttpsKeyStores.Stores stores = HttpsKeyStores.prepare(new BouncyCastlePki(dir), dir, "");
        Map<String, String> wanted = PaxWebHttps.settings(config(9443), stores);

        assertTrue(PaxWebHttps.apply(configuration, wanted));
        assertEquals("true", properties.get("org.osgi.service.http.secure.enabled"));
        assertEquals("9443", properties.get("org.osgi.service.http.port.secure"));
        assertEquals("true", properties.get("org.ops4j.pax.web.ssl.clientauth.wanted"));
        assertEquals("false", properties.get("org.ops4j.pax.web.ssl.clientauth.needed"));
        assertEquals(stores.keyStore().toString(), properties.get("org.ops4j.pax.web.ssl.keystore"));
        assertEquals("8181", properties.get("org.osgi.service.http.port"));

        assertFalse("unchanged settings leave Jetty alone", PaxWebHttps.apply(configuration, wanted));
        assertEquals(1, updates.size());
        assertTrue(PaxWebHttps.apply(configuration, PaxWebHttps.settings(config(9443), null)));
        assertEquals("false", properties.get("org.osgi.service.http.secure.enabled"));
    }

    @Test
    public void aConfigurationFromAFileIsChangedInThatFileWholeNotThroughConfigAdmin() throws Exception {
        Path etc = temp.newFolder("etc").toPath();
        Path file = etc.resolve("org.ops4j.pax.web.cfg");
        Files.write(file, List.of("# the director's HTTP server", "org.ops4j.pax.web.listening.addresses = 127.0.0.1",
                "org.osgi.service.http.port = 8181", "org.osgi.service.http.secure.enabled = false",
                "javax.servlet.context.tempdir = ${karaf.data}/pax-web/tmp"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        Hashtable<String, Object> properties = new Hashtable<>(Map.of("org.osgi.service.http.port", "8181",
                "org.osgi.service.http.secure.enabled", "false", "felix.fileinstall.filename", file.toUri().toString()));
        List<Dictionary<String, ?>> updates = new ArrayList<>();
        Path dir = temp.getRoot().toPath().resolve("pki");
        HttpsKeyStores.Stores stores = HttpsKeyStores.prepare(new BouncyCastlePki(dir), dir, "");

        assertTrue(PaxWebHttps.apply(configuration(properties, updates), PaxWebHttps.settings(config(9443), stores)));
        assertEquals("File Install updates the configuration from the file", List.of(), updates);
        List<String> lines = Files.readAllLines(file);
        assertEquals("the other lines as they were, the changed key in its place", List.of(
                "# the director's HTTP server", "org.ops4j.pax.web.listening.addresses = 127.0.0.1",
                "org.osgi.service.http.port = 8181", "org.osgi.service.http.secure.enabled = true",
                "javax.servlet.context.tempdir = ${karaf.data}/pax-web/tmp"), lines.subList(0, 5));
        assertTrue(lines.contains("org.osgi.service.http.port.secure = 9443"));
        assertTrue(lines.contains("org.ops4j.pax.web.ssl.keystore = " + stores.keyStore().toAbsolutePath()));
        assertTrue(lines.contains("conpaas.https.certificate = " + stores.fingerprint()));
        assertEquals("it holds the key stores' password", PosixFilePermissions.fromString("rw-------"),
                Files.getPosixFilePermissions(file));
        try (var left = Files.list(etc)) {
            assertEquals("nothing but the file", List.of(file), left.toList());
        }
    }

    @Test
    public void aCfgFileKeepsValuesThatGoOnInTheNextLineAndEscapesBackslashes() throws Exception {
        Path file = temp.newFile("x.cfg").toPath();
        Files.write(file, List.of("a = one \\", "b = not a key line", "b = two", "  c : three", "e = five \\",
                "  and more", "# end"));
        CfgFile.put(file, Map.of("b", "2", "c", "C:\\x", "d", "4", "e", "5"));
        assertEquals(List.of("a = one \\", "b = not a key line", "b = 2", "c = C:\\\\x", "e = 5", "# end", "d = 4"),
                Files.readAllLines(file));
    }

    /** A Config Admin configuration over {@code properties}; each update is added to {@code updates}. */
    private Configuration configuration(Hashtable<String, Object> properties, List<Dictionary<String, ?>> updates) {
        return (Configuration) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Configuration.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getProperties" -> properties.isEmpty() ? null : new Hashtable<>(properties);
                    case "update" -> {
                        @SuppressWarnings("unchecked")
                        Dictionary<String, ?> next = (Dictionary<String, ?>) args[0];
                        updates.add(next);
                        properties.clear();
                        for (var keys = next.keys(); keys.hasMoreElements();) {
                            String key = keys.nextElement();
                            properties.put(key, next.get(key));
                        }
                        yield null;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    public void aSecurePortAnotherProgramHoldsIsNotGivenToJetty() throws Exception {
        Hashtable<String, Object> paxWeb = new Hashtable<>(Map.of("org.ops4j.pax.web.listening.addresses",
                "127.0.0.1"));
        int port;
        try (java.net.ServerSocket other = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getByName("127.0.0.1"))) {
            port = other.getLocalPort();
            assertFalse("held by another program", PaxWebHttps.portAvailable(paxWeb, port));
            paxWeb.put("org.osgi.service.http.secure.enabled", "true");
            paxWeb.put("org.osgi.service.http.port.secure", String.valueOf(port));
            assertTrue("given to Jetty before: Jetty itself may hold it", PaxWebHttps.portAvailable(paxWeb, port));
        }
        paxWeb.remove("org.osgi.service.http.secure.enabled");
        assertTrue("free again", PaxWebHttps.portAvailable(paxWeb, port));
    }

    private static HttpsConfig config(int port) {
        return new HttpsConfig() {
            @Override
            public Class<? extends java.lang.annotation.Annotation> annotationType() {
                return HttpsConfig.class;
            }

            @Override
            public boolean enabled() {
                return true;
            }

            @Override
            public int port() {
                return port;
            }

            @Override
            public String hostName() {
                return "";
            }
        };
    }

    private static KeyStore load(Path file, String password) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password.toCharArray());
        }
        return store;
    }
}
