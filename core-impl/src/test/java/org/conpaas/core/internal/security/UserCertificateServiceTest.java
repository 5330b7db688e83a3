package org.conpaas.core.internal.security;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.conpaas.api.AuthenticationException;
import org.conpaas.api.model.UserInfo;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class UserCertificateServiceTest {

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private BouncyCastlePki pki;
    private MapAccounts accounts;
    private UserCertificateService certificates;

    @Before
    public void setUp() {
        pki = new BouncyCastlePki(temp.getRoot().toPath().resolve("pki"));
        accounts = new MapAccounts().add("alice", "a-secret").add("admin", "b-secret", UserInfo.ROLE_ADMIN);
        certificates = new UserCertificateService(pki, accounts);
    }

    private CertificateZip issue(String user) throws Exception {
        return CertificateZip.read(certificates.issueZip(accounts.find(user).orElseThrow()));
    }

    @Test
    public void theZipHoldsACertificateWithTheUserSubjectItsPkcs8KeyAndTheCa() throws Exception {
        CertificateZip zip = issue("alice");
        assertEquals(List.of("cert.pem", "key.pem", "ca_cert.pem"), List.copyOf(zip.entries().keySet()));
        assertTrue(zip.entries().get("key.pem").startsWith("-----BEGIN PRIVATE KEY-----"));

        X509Certificate cert = zip.certificate();
        assertEquals("CN=alice,OU=user,O=ConPaaS,UID=alice,DC=0", cert.getSubjectX500Principal().getName());
        assertEquals(List.of(KeyPurposeId.id_kp_clientAuth.getId()), cert.getExtendedKeyUsage());
        assertEquals(-1, cert.getBasicConstraints());
        long days = Duration.between(cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant()).toDays();
        assertTrue("about a year: " + days, days >= 365 && days <= 366);
        assertTrue(cert.getNotBefore().toInstant().isBefore(Instant.now()));
        assertArrayEquals(pki.caCertificate().getEncoded(), zip.ca().getEncoded());

        // the chain validates against the CA, and the key is the certificate's
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(zip.ca(), null)));
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(List.of(cert)), parameters);
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(zip.key());
        signer.update("proof".getBytes(StandardCharsets.US_ASCII));
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(cert.getPublicKey());
        verifier.update("proof".getBytes(StandardCharsets.US_ASCII));
        assertTrue(verifier.verify(signature));
    }

    @Test
    public void aValidCertificateAuthenticatesItsUser() throws Exception {
        assertEquals("alice", certificates.authenticate(new X509Certificate[] {issue("alice").certificate()}));
        // with the CA sent along, as curl does with a bundle
        assertEquals("alice", certificates.authenticate(
                new X509Certificate[] {issue("alice").certificate(), pki.caCertificate()}));
    }

    @Test
    public void anExpiredCertificateIsRefused() {
        Instant now = Instant.now();
        X509Certificate expired = pki.issue(UserCertificateService.subject("alice"), now.minus(Duration.ofDays(30)),
                now.minus(Duration.ofMinutes(1)), new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth}, null)
                .certificate();
        assertRefused("certificate expired", expired);
    }

    @Test
    public void aCertificateOfAnotherCaIsRefused() throws Exception {
        BouncyCastlePki foreign = new BouncyCastlePki(temp.getRoot().toPath().resolve("foreign"));
        X509Certificate other = CertificateZip.read(new UserCertificateService(foreign, accounts)
                .issueZip(accounts.find("alice").orElseThrow())).certificate();
        assertRefused("certificate not issued by this director", other);
    }

    @Test
    public void aTamperedCertificateIsRefused() throws Exception {
        // alice's certificate with her name changed to admin (same length) keeps its signature, which no longer fits
        byte[] encoded = issue("alice").certificate().getEncoded();
        byte[] alice = "alice".getBytes(StandardCharsets.US_ASCII);
        byte[] admin = "admin".getBytes(StandardCharsets.US_ASCII);
        int replaced = 0;
        for (int i = 0; i + alice.length <= encoded.length; i++) {
            if (java.util.Arrays.equals(encoded, i, i + alice.length, alice, 0, alice.length)) {
                System.arraycopy(admin, 0, encoded, i, admin.length);
                replaced++;
            }
        }
        assertEquals("CN and UID", 2, replaced);
        X509Certificate tampered = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(encoded));
        assertEquals("CN=admin,OU=user,O=ConPaaS,UID=admin,DC=0", tampered.getSubjectX500Principal().getName());
        assertRefused("certificate not issued by this director", tampered);
    }

    @Test
    public void theCertificateOfADeletedUserIsRefused() throws Exception {
        X509Certificate cert = issue("alice").certificate();
        accounts.delete("alice");
        assertRefused("user alice no longer exists", cert);
    }

    @Test
    public void anAgentCertificateOrNoCertificateIsRefused() throws Exception {
        Instant now = Instant.now();
        X509Certificate agent = pki.issue(BouncyCastlePki.subject("node-1", "agent", "alice", "3"), now,
                now.plus(Duration.ofDays(1)), new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth}, null).certificate();
        assertRefused("certificate is not a user certificate", agent);
        assertEquals("no client certificate was presented", assertThrows(AuthenticationException.class,
                () -> certificates.authenticate(new X509Certificate[0])).getMessage());
    }

    private void assertRefused(String message, X509Certificate certificate) {
        AuthenticationException refused = assertThrows(AuthenticationException.class,
                () -> certificates.authenticate(new X509Certificate[] {certificate}));
        assertEquals(message, refused.getMessage());
    }
}
