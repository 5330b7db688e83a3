package org.conpaas.core.internal.security;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class BouncyCastlePkiTest {

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    @Test
    public void nodeCredentialsChainToTheCaWithTheProtocolSubject() throws Exception {
        BouncyCastlePki pki = new BouncyCastlePki(temp.getRoot().toPath());
        NodeCredentials credentials = pki.issueNodeCredentials("node-3", "alice", 42);

        KeyStore keyStore = load(credentials.keyStore(), credentials.password());
        assertEquals(List.of("node"), java.util.Collections.list(keyStore.aliases()));
        X509Certificate[] chain = Arrays.stream(keyStore.getCertificateChain("node"))
                .map(X509Certificate.class::cast).toArray(X509Certificate[]::new);
        assertEquals(2, chain.length);
        assertEquals(pki.caCertificate(), chain[1]);
        validate(chain[0], pki.caCertificate());

        X509Certificate leaf = chain[0];
        assertEquals("CN=node-3,OU=agent,O=ConPaaS,UID=alice,DC=42", rfc2253(leaf));
        assertTrue(leaf.getExtendedKeyUsage().containsAll(List.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2")));
        assertEquals(-1, leaf.getBasicConstraints());
        assertEquals(256, ((ECPublicKey) leaf.getPublicKey()).getParams().getOrder().bitLength());
        assertDays(365, leaf);
        assertTrue(keyStore.getKey("node", credentials.password().toCharArray()) != null);

        KeyStore trustStore = load(credentials.trustStore(), credentials.password());
        assertEquals(List.of("ca"), java.util.Collections.list(trustStore.aliases()));
        assertEquals(pki.caCertificate(), trustStore.getCertificate("ca"));

        X509Certificate ca = pki.caCertificate();
        assertTrue(ca.getBasicConstraints() >= 0);
        assertDays(5 * 365, ca);
        assertEquals("EC", ca.getPublicKey().getAlgorithm());
    }

    /**
     * The node's files take one round of key derivation (their password is random, NodeKeyStores), so neither the
     * director nor the agent spends ~125 ms per node on it; their MAC still refuses a wrong password.
     */
    @Test
    public void nodeStoresTakeOneDerivationRoundAndRefuseAWrongPassword() throws Exception {
        BouncyCastlePki pki = new BouncyCastlePki(temp.getRoot().toPath());
        NodeCredentials credentials = pki.issueNodeCredentials("node-4", "alice", 1);
        for (byte[] file : List.of(credentials.keyStore(), credentials.trustStore())) {
            org.bouncycastle.asn1.pkcs.MacData mac = org.bouncycastle.asn1.pkcs.Pfx.getInstance(file).getMacData();
            assertEquals(1, mac.getIterationCount().intValue());
            assertEquals("2.16.840.1.101.3.4.2.1", mac.getMac().getAlgorithmId().getAlgorithm().getId()); // SHA-256
            try {
                load(file, credentials.password() + "x");
                org.junit.Assert.fail("a wrong password opened a node's PKCS#12 file");
            } catch (java.io.IOException expected) {
                // the MAC does not match
            }
        }
        org.bouncycastle.pkcs.PKCS12PfxPdu keys = new org.bouncycastle.pkcs.PKCS12PfxPdu(credentials.keyStore());
        int shrouded = 0;
        for (org.bouncycastle.asn1.pkcs.ContentInfo info : keys.getContentInfos()) {
            for (org.bouncycastle.pkcs.PKCS12SafeBag bag : new org.bouncycastle.pkcs.PKCS12SafeBagFactory(info)
                    .getSafeBags()) {
                if (bag.getBagValue() instanceof org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo encrypted) {
                    var pbes2 = org.bouncycastle.asn1.pkcs.PBES2Parameters.getInstance(
                            encrypted.getEncryptionAlgorithm().getParameters());
                    var kdf = org.bouncycastle.asn1.pkcs.PBKDF2Params.getInstance(
                            pbes2.getKeyDerivationFunc().getParameters());
                    assertEquals(1, kdf.getIterationCount().intValue());
                    shrouded++;
                }
            }
        }
        assertEquals(1, shrouded);
    }

    @Test
    public void eachNodeGetsItsOwnKeyAndPassword() {
        BouncyCastlePki pki = new BouncyCastlePki(temp.getRoot().toPath());
        NodeCredentials first = pki.issueNodeCredentials("node-1", "alice", 1);
        NodeCredentials second = pki.issueNodeCredentials("node-2", "alice", 1);
        assertNotEquals(first.password(), second.password());
        assertTrue(first.password().length() >= 20);
    }

    @Test
    public void directorCertificateHasTheDirectorRoleAndNoOwner() throws Exception {
        BouncyCastlePki pki = new BouncyCastlePki(temp.getRoot().toPath());
        X509Certificate director = pki.directorCertificate();
        assertEquals("CN=director,OU=director,O=ConPaaS", rfc2253(director));
        assertTrue(director.getExtendedKeyUsage().containsAll(List.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2")));
        validate(director, pki.caCertificate());
        assertEquals("TLS", pki.agentClientContext().getProtocol());
    }

    @Test
    public void theCaIsKeptOnDiskAndReloaded() throws Exception {
        Path dir = temp.getRoot().toPath().resolve("data/conpaas/pki");
        BouncyCastlePki first = new BouncyCastlePki(dir);
        assertEquals(Set.of(PosixFilePermissions.fromString("rw-------")),
                Set.of(Files.getPosixFilePermissions(dir.resolve("ca-key.pem"))));
        BouncyCastlePki second = new BouncyCastlePki(dir);
        assertArrayEquals(first.caCertificate().getEncoded(), second.caCertificate().getEncoded());
        assertArrayEquals(first.directorCertificate().getEncoded(), second.directorCertificate().getEncoded());
        // a certificate issued after the reload still chains to the first CA
        NodeCredentials credentials = second.issueNodeCredentials("node-9", "bob", 7);
        X509Certificate leaf = (X509Certificate) load(credentials.keyStore(), credentials.password())
                .getCertificate("node");
        validate(leaf, first.caCertificate());

        BouncyCastlePki other = new BouncyCastlePki(temp.getRoot().toPath().resolve("other"));
        assertNotEquals(first.caCertificate(), other.caCertificate());
    }

    private static KeyStore load(byte[] bytes, String password) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(new ByteArrayInputStream(bytes), password.toCharArray());
        return store;
    }

    private static void validate(X509Certificate leaf, X509Certificate ca) throws Exception {
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)), parameters);
    }

    /** RFC 2253 keeps the attributes in the order they were written (CN first). */
    private static String rfc2253(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getName();
    }

    private static void assertDays(long days, X509Certificate certificate) {
        long actual = Duration.between(certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant())
                .toDays();
        assertTrue("validity " + actual + " days, expected about " + days, Math.abs(actual - days) <= 1);
    }
}
