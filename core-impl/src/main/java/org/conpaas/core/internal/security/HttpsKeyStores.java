package org.conpaas.core.internal.security;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;

/**
 * The files Jetty's HTTPS connector reads, under the PKI folder: the server certificate of the REST API (from our
 * CA, with 127.0.0.1, ::1, localhost and an optional configured host name as subject alternative names) as PEM, a
 * PKCS#12 key store with its key and chain (owner-only), a PKCS#12 trust store holding the CA (to verify users'
 * client certificates) and the stores' password (owner-only). The certificate is reissued when it is missing,
 * expires within 30 days, names other hosts, or comes from another CA; the stores are rewritten only then, so
 * that an unchanged director keeps an unchanged HTTPS configuration.
 */
public final class HttpsKeyStores {

    public static final String KEY_ALIAS = "director-https";
    private static final SecureRandom RANDOM = new SecureRandom();
    static final String KEY_STORE = "https-keystore.p12";
    static final String TRUST_STORE = "https-truststore.p12";
    static final String PASSWORD = "https-keystore.password";
    private static final Duration RENEW_BEFORE = Duration.ofDays(30);
    private static final Duration BACKDATE = Duration.ofHours(1);

    /** What the HTTPS connector is configured with; the fingerprint identifies the certificate in use. */
    public record Stores(Path keyStore, Path trustStore, String password, String fingerprint) {
    }

    private HttpsKeyStores() {
    }

    /** The host names the certificate must carry, always including the loopback names. */
    static Set<String> hostNames(String configured) {
        Set<String> names = new LinkedHashSet<>(List.of("127.0.0.1", "::1", "localhost"));
        if (configured != null && !configured.isBlank()) {
            names.add(configured.trim());
        }
        return names;
    }

    public static Stores prepare(CertificateAuthority ca, Path directory, String hostName) {
        try {
            Files.createDirectories(directory);
            PemStore pems = new PemStore(directory);
            Set<String> hosts = hostNames(hostName);
            KeyPairAndCertificate server = pems.exists("https") ? pems.load("https") : null;
            boolean reissue = server == null || !fits(server.certificate(), ca.caCertificate(), hosts);
            if (reissue) {
                Instant now = Instant.now();
                server = ca.issue(BouncyCastlePki.subject(commonName(hostName), "https", null, null),
                        now.minus(BACKDATE), now.plus(BouncyCastlePki.LEAF_VALIDITY),
                        new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth}, alternativeNames(hosts));
                pems.save("https", server);
            }
            Path passwordFile = directory.resolve(PASSWORD);
            Path keyStore = directory.resolve(KEY_STORE);
            Path trustStore = directory.resolve(TRUST_STORE);
            boolean missing = !Files.isRegularFile(passwordFile) || !Files.isRegularFile(keyStore)
                    || !Files.isRegularFile(trustStore);
            String password;
            if (missing) {
                password = randomPassword();
                write(passwordFile, password.getBytes(StandardCharsets.US_ASCII), true);
            } else {
                password = Files.readString(passwordFile, StandardCharsets.US_ASCII).trim();
            }
            if (reissue || missing || !holds(keyStore, password, server.certificate())) {
                write(keyStore, keyStore(server, ca.caCertificate(), password), true);
                write(trustStore, trustStore(ca.caCertificate(), password), false);
            }
            return new Stores(keyStore, trustStore, password, fingerprint(server.certificate()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the HTTPS key stores into " + directory, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up the HTTPS certificate: " + e.getMessage(), e);
        }
    }

    private static String commonName(String hostName) {
        return hostName == null || hostName.isBlank() ? "localhost" : hostName.trim();
    }

    private static boolean fits(X509Certificate certificate, X509Certificate ca, Set<String> hosts) {
        try {
            certificate.verify(ca.getPublicKey());
        } catch (GeneralSecurityException e) {
            return false;
        }
        if (certificate.getNotAfter().toInstant().isBefore(Instant.now().plus(RENEW_BEFORE))) {
            return false;
        }
        return normalized(hosts).equals(namesIn(certificate));
    }

    /** The alternative names of a certificate, IP addresses in their canonical form. */
    static Set<String> namesIn(X509Certificate certificate) {
        Set<String> names = new TreeSet<>();
        try {
            if (certificate.getSubjectAlternativeNames() != null) {
                for (List<?> name : certificate.getSubjectAlternativeNames()) {
                    names.add(canonical(String.valueOf(name.get(1))));
                }
            }
        } catch (CertificateParsingException e) {
            return Set.of();
        }
        return names;
    }

    private static Set<String> normalized(Set<String> hosts) {
        Set<String> names = new TreeSet<>();
        hosts.forEach(h -> names.add(canonical(h)));
        return names;
    }

    private static String canonical(String host) {
        if (isAddress(host)) {
            try {
                return InetAddress.getByName(host).getHostAddress();
            } catch (IOException e) {
                return host;
            }
        }
        return host.toLowerCase(java.util.Locale.ROOT);
    }

    private static GeneralNames alternativeNames(Set<String> hosts) {
        return new GeneralNames(hosts.stream()
                .map(h -> new GeneralName(isAddress(h) ? GeneralName.iPAddress : GeneralName.dNSName, h))
                .toArray(GeneralName[]::new));
    }

    /** An IPv4 or IPv6 literal (never resolved through DNS). */
    static boolean isAddress(String host) {
        return host.matches("[0-9.]+") || host.contains(":");
    }

    private static boolean holds(Path keyStore, String password, X509Certificate certificate) {
        try (InputStream in = Files.newInputStream(keyStore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password.toCharArray());
            return certificate.equals(store.getCertificate(KEY_ALIAS));
        } catch (IOException | GeneralSecurityException e) {
            return false;
        }
    }

    private static byte[] keyStore(KeyPairAndCertificate server, X509Certificate ca, String password)
            throws IOException {
        return OneRoundKeyStores.keyStore(KEY_ALIAS, server.keyPair().getPrivate(),
                new X509Certificate[] {server.certificate(), ca}, password.toCharArray(), RANDOM);
    }

    private static byte[] trustStore(X509Certificate ca, String password) throws IOException {
        return OneRoundKeyStores.trustStore("ca", ca, password.toCharArray());
    }

    static String fingerprint(X509Certificate certificate) throws GeneralSecurityException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    }

    private static String randomPassword() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Written under a temporary name and moved into place, so Jetty never reads half a key store. */
    private static void write(Path target, byte[] content, boolean secret) throws IOException {
        Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
        Files.deleteIfExists(temporary);
        if (secret) {
            Files.createFile(temporary,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.write(temporary, content);
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
