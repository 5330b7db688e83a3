package org.conpaas.core.internal.security;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The director's CA on Bouncy Castle: EC P-256 keys, a 5-year CA and 1-year leaf certificates with the subject
 * fields of docs/agent-protocol.md. The CA and the director's certificate are created at first start and kept as
 * PEM files (keys readable by the owner only) under {@code <karaf.data>/conpaas/pki/}.
 */
@Component(service = {Pki.class, CertificateAuthority.class})
public final class BouncyCastlePki implements Pki, CertificateAuthority {

    static final Duration CA_VALIDITY = Duration.ofDays(5 * 365);
    static final Duration LEAF_VALIDITY = Duration.ofDays(365);
    /** Certificates start a little in the past so nodes with a slightly late clock accept them. */
    private static final Duration BACKDATE = Duration.ofHours(1);
    /** The director's certificate is renewed at start when it has less than this left. */
    private static final Duration RENEW_BEFORE = Duration.ofDays(30);
    private static final String SIGNATURE = "SHA256withECDSA";
    private static final KeyPurposeId[] SERVER_AND_CLIENT = {KeyPurposeId.id_kp_serverAuth,
        KeyPurposeId.id_kp_clientAuth};
    private static final Logger LOG = LoggerFactory.getLogger(BouncyCastlePki.class);

    private final SecureRandom random = new SecureRandom();
    private final KeyPairAndCertificate ca;
    private final KeyPairAndCertificate director;
    private final SSLContext agentClientContext;

    @Activate
    public BouncyCastlePki() {
        this(Path.of(System.getProperty("karaf.data", "data"), "conpaas", "pki"));
    }

    public BouncyCastlePki(Path directory) {
        try {
            PemStore store = new PemStore(directory);
            boolean caCreated = !store.exists("ca");
            if (!caCreated) {
                ca = store.load("ca");
                LOG.info("loaded the ConPaaS CA from {}", directory);
            } else {
                ca = createCa();
                store.save("ca", ca);
                LOG.info("created the ConPaaS CA in {}", directory);
            }
            // a new CA invalidates any director certificate left from an older one
            KeyPairAndCertificate loaded = !caCreated && store.exists("director") ? store.load("director") : null;
            if (loaded == null || expiresSoon(loaded.certificate())) {
                loaded = issue(subject("director", "director", null, null), newKeyPair(), LEAF_VALIDITY,
                        SERVER_AND_CLIENT, null);
                store.save("director", loaded);
            }
            director = loaded;
            agentClientContext = buildAgentClientContext();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the ConPaaS CA in " + directory + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot set up the ConPaaS CA: " + e.getMessage(), e);
        }
    }

    @Override
    public X509Certificate caCertificate() {
        return ca.certificate();
    }

    /** The certificate the director presents to agents (CN=director, OU=director). */
    public X509Certificate directorCertificate() {
        return director.certificate();
    }

    @Override
    public NodeCredentials issueNodeCredentials(String nodeId, String userId, long applicationId) {
        try {
            KeyPairAndCertificate node = issue(subject(nodeId, "agent", userId, Long.toString(applicationId)),
                    newKeyPair(), LEAF_VALIDITY, SERVER_AND_CLIENT, null);
            String password = randomPassword();
            return new NodeCredentials(keyStore("node", node, password.toCharArray()),
                    trustStore(password.toCharArray()), password);
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot issue credentials for node " + nodeId + ": " + e.getMessage(), e);
        }
    }

    @Override
    public SSLContext agentClientContext() {
        return agentClientContext;
    }

    private SSLContext buildAgentClientContext() throws GeneralSecurityException, IOException {
        char[] transientPassword = randomPassword().toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(new ByteArrayInputStream(keyStore("director", director, transientPassword)), transientPassword);
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, transientPassword);

        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("ca", ca.certificate());
        TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
        trust.init(trusted);

        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(),
                new TrustManager[] {new AgentOnlyTrustManager((X509TrustManager) trust.getTrustManagers()[0])},
                random);
        return context;
    }

    private KeyPairAndCertificate createCa() throws GeneralSecurityException, OperatorCreationException, IOException {
        KeyPair keys = newKeyPair();
        X500Name name = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, "ConPaaS").addRDN(BCStyle.CN, "ConPaaS CA").build();
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(),
                Date.from(now.minus(BACKDATE)), Date.from(now.plus(CA_VALIDITY)), name, keys.getPublic());
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        builder.addExtension(Extension.subjectKeyIdentifier, false,
                extensions.createSubjectKeyIdentifier(keys.getPublic()));
        X509Certificate certificate = new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder(SIGNATURE).build(keys.getPrivate())));
        return new KeyPairAndCertificate(keys, certificate);
    }

    @Override
    public KeyPairAndCertificate issue(X500Name subject, Instant notBefore, Instant notAfter,
            KeyPurposeId[] purposes, GeneralNames alternativeNames) {
        try {
            return issue(subject, newKeyPair(), notBefore, notAfter, purposes, alternativeNames);
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot issue a certificate for " + subject + ": " + e.getMessage(), e);
        }
    }

    private KeyPairAndCertificate issue(X500Name subject, KeyPair keys, Duration validity, KeyPurposeId[] purposes,
            GeneralNames alternativeNames) throws GeneralSecurityException, OperatorCreationException, IOException {
        Instant now = Instant.now();
        return issue(subject, keys, now.minus(BACKDATE), now.plus(validity), purposes, alternativeNames);
    }

    private KeyPairAndCertificate issue(X500Name subject, KeyPair keys, Instant notBefore, Instant notAfter,
            KeyPurposeId[] purposes, GeneralNames alternativeNames)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        if (notAfter.isAfter(ca.certificate().getNotAfter().toInstant())) {
            notAfter = ca.certificate().getNotAfter().toInstant();
        }
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca.certificate(), serial(),
                Date.from(notBefore), Date.from(notAfter), toPrincipal(subject), keys.getPublic());
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true,
                new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes));
        if (alternativeNames != null) {
            builder.addExtension(Extension.subjectAlternativeName, false, alternativeNames);
        }
        builder.addExtension(Extension.subjectKeyIdentifier, false,
                extensions.createSubjectKeyIdentifier(keys.getPublic()));
        builder.addExtension(Extension.authorityKeyIdentifier, false,
                extensions.createAuthorityKeyIdentifier(ca.certificate()));
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder(SIGNATURE).build(ca.keyPair().getPrivate())));
        return new KeyPairAndCertificate(keys, certificate);
    }

    /**
     * The subject of the protocol doc. It is encoded most significant first, so that its usual string form
     * (RFC 2253) reads {@code CN=node-3,OU=agent,O=ConPaaS,UID=alice,DC=42}.
     */
    static X500Name subject(String commonName, String role, String userId, String applicationId) {
        X500NameBuilder name = new X500NameBuilder(BCStyle.INSTANCE);
        if (applicationId != null) {
            name.addRDN(BCStyle.DC, applicationId);
        }
        if (userId != null) {
            name.addRDN(BCStyle.UID, userId);
        }
        return name.addRDN(BCStyle.O, "ConPaaS").addRDN(BCStyle.OU, role).addRDN(BCStyle.CN, commonName).build();
    }

    private static javax.security.auth.x500.X500Principal toPrincipal(X500Name name) throws IOException {
        return new javax.security.auth.x500.X500Principal(name.getEncoded());
    }

    private byte[] keyStore(String alias, KeyPairAndCertificate entry, char[] password) throws IOException {
        return OneRoundKeyStores.keyStore(alias, entry.keyPair().getPrivate(),
                new X509Certificate[] {entry.certificate(), ca.certificate()}, password, random);
    }

    private byte[] trustStore(char[] password) throws IOException {
        return OneRoundKeyStores.trustStore("ca", ca.certificate(), password);
    }

    private KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), random);
        return generator.generateKeyPair();
    }

    private BigInteger serial() {
        return new BigInteger(127, random).add(BigInteger.ONE);
    }

    private String randomPassword() {
        byte[] bytes = new byte[18];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static boolean expiresSoon(X509Certificate certificate) {
        return certificate.getNotAfter().toInstant().isBefore(Instant.now().plus(RENEW_BEFORE));
    }
}
