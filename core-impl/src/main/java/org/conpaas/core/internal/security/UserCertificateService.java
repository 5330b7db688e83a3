package org.conpaas.core.internal.security;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.conpaas.api.AuthenticationException;
import org.conpaas.api.model.UserInfo;
import org.conpaas.core.internal.accounts.Accounts;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Users' client certificates from the director's CA, with ConPaaS' subject scheme: {@code CN=<user>, OU=user,
 * O=ConPaaS, UID=<user>, DC=0} (OU is the role, as in agent certificates; DC, the application, is 0 for a user).
 * A certificate authenticates only while its user exists: deleting the user revokes every certificate they hold,
 * and since user names are never reused, no newcomer can inherit them.
 */
@Component(service = UserCertificates.class)
public final class UserCertificateService implements UserCertificates {

    static final String ROLE = UserInfo.ROLE_USER;
    static final Duration VALIDITY = Duration.ofDays(365);
    /** As for node certificates: clients with a slightly late clock still accept a fresh certificate. */
    private static final Duration BACKDATE = Duration.ofHours(1);
    private static final String CLIENT_AUTH = KeyPurposeId.id_kp_clientAuth.getId();

    private final CertificateAuthority ca;
    private final Accounts accounts;

    @Activate
    public UserCertificateService(@Reference CertificateAuthority ca, @Reference Accounts accounts) {
        this.ca = ca;
        this.accounts = accounts;
    }

    /** The subject of a user's certificate. */
    public static X500Name subject(String username) {
        return BouncyCastlePki.subject(username, ROLE, username, "0");
    }

    @Override
    public byte[] issueZip(UserInfo user) {
        Instant now = Instant.now();
        KeyPairAndCertificate issued = ca.issue(subject(user.username()), now.minus(BACKDATE), now.plus(VALIDITY),
                new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth}, null);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            entry(zip, "cert.pem", issued.certificate());
            entry(zip, "key.pem", new JcaPKCS8Generator(issued.keyPair().getPrivate(), null));
            entry(zip, "ca_cert.pem", ca.caCertificate());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the certificate zip of " + user.username(), e);
        }
        return bytes.toByteArray();
    }

    private static void entry(ZipOutputStream zip, String name, Object pemObject) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        // not closed: closing the writer would close the zip
        Writer text = new OutputStreamWriter(zip, StandardCharsets.US_ASCII);
        JcaPEMWriter pem = new JcaPEMWriter(text);
        pem.writeObject(pemObject);
        pem.flush();
        zip.closeEntry();
    }

    @Override
    public String authenticate(X509Certificate[] chain) {
        if (chain == null || chain.length == 0 || chain[0] == null) {
            throw new AuthenticationException("no client certificate was presented");
        }
        X509Certificate leaf = chain[0];
        X509Certificate authority = ca.caCertificate();
        try {
            // our CA's key, not the JDK's trust store: only this director's certificates count
            leaf.verify(authority.getPublicKey());
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new AuthenticationException("certificate not issued by this director");
        }
        if (!leaf.getIssuerX500Principal().equals(authority.getSubjectX500Principal())) {
            throw new AuthenticationException("certificate not issued by this director");
        }
        try {
            leaf.checkValidity();
        } catch (CertificateExpiredException e) {
            throw new AuthenticationException("certificate expired");
        } catch (CertificateNotYetValidException e) {
            throw new AuthenticationException("certificate not valid yet");
        }
        X500Name subject = X500Name.getInstance(leaf.getSubjectX500Principal().getEncoded());
        if (!ROLE.equals(first(subject, BCStyle.OU))) {
            throw new AuthenticationException("certificate is not a user certificate");
        }
        if (!hasClientAuth(leaf)) {
            throw new AuthenticationException("certificate is not meant for client authentication");
        }
        String username = first(subject, BCStyle.UID);
        if (username == null || username.isBlank()) {
            throw new AuthenticationException("certificate names no user");
        }
        if (accounts.find(username).isEmpty()) {
            throw new AuthenticationException("user " + username + " no longer exists");
        }
        return username;
    }

    private static boolean hasClientAuth(X509Certificate certificate) {
        try {
            List<String> purposes = certificate.getExtendedKeyUsage();
            return purposes != null && purposes.contains(CLIENT_AUTH);
        } catch (CertificateParsingException e) {
            return false;
        }
    }

    private static String first(X500Name name, org.bouncycastle.asn1.ASN1ObjectIdentifier attribute) {
        RDN[] values = name.getRDNs(attribute);
        return values.length == 0 ? null : IETFUtils.valueToString(values[0].getFirst().getValue());
    }
}
