package org.conpaas.itests;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import java.net.http.HttpClient;

/**
 * Client certificates with the JDK alone: reading the zip of {@code /users/me/certificate}, an HTTPS client that
 * trusts the director's CA and presents a certificate, and surgery on a certificate's DER (changing bytes of its
 * to-be-signed part, and signing it again with some key) to make expired, forged and tampered certificates.
 */
final class ClientCertificates {

    private ClientCertificates() {
    }

    /** The PEM texts of a certificate zip by entry name. */
    static Map<String, String> unzip(byte[] zip) throws IOException {
        Map<String, String> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                entries.put(e.getName(), new String(in.readAllBytes(), StandardCharsets.US_ASCII));
            }
        }
        return entries;
    }

    static X509Certificate certificate(String pem) throws GeneralSecurityException {
        return certificate(pem.getBytes(StandardCharsets.US_ASCII));
    }

    static X509Certificate certificate(byte[] pemOrDer) throws GeneralSecurityException {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pemOrDer));
    }

    /** A PKCS#8 PEM key ("BEGIN PRIVATE KEY"), as the zip and the director's PKI folder hold them. */
    static PrivateKey privateKey(String pem) throws GeneralSecurityException {
        String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
    }

    static PrivateKey privateKey(Path pemFile) throws GeneralSecurityException, IOException {
        return privateKey(Files.readString(pemFile));
    }

    /** An HTTPS client that trusts only this CA and presents this certificate with its key (none if null). */
    static HttpClient client(X509Certificate ca, PrivateKey key, X509Certificate certificate)
            throws GeneralSecurityException, IOException {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("ca", ca);
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        if (certificate != null) {
            keys.setKeyEntry("me", key, new char[0], new Certificate[] {certificate});
        }
        // SunX509 presents whatever it holds, also an expired certificate: the server is the one to refuse it
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance("SunX509");
        keyManagers.init(keys, new char[0]);
        TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trust.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** The certificate with both validity dates (UTCTime) moved into 2020, signed again by the key. */
    static X509Certificate expired(X509Certificate original, PrivateKey signer) throws Exception {
        byte[] tbs = original.getTBSCertificate();
        int found = 0;
        for (int i = 0; i + 15 <= tbs.length && found < 2; i++) {
            if (tbs[i] == 0x17 && tbs[i + 1] == 13 && tbs[i + 14] == 'Z') {   // UTCTime YYMMDDhhmmssZ
                byte[] date = (found == 0 ? "200101000000Z" : "200102000000Z").getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(date, 0, tbs, i + 2, date.length);
                found++;
            }
        }
        if (found != 2) {
            throw new IllegalStateException("no UTCTime validity in " + original.getSubjectX500Principal());
        }
        return certificate(sign(tbs, original, signer));
    }

    /** The same to-be-signed certificate signed by another key: a forgery of our CA's signature. */
    static X509Certificate resigned(X509Certificate original, PrivateKey signer) throws Exception {
        return certificate(sign(original.getTBSCertificate(), original, signer));
    }

    /** The certificate with every occurrence of one ASCII text replaced by another of the same length. */
    static X509Certificate tampered(X509Certificate original, String from, String to) throws Exception {
        byte[] der = original.getEncoded();
        byte[] a = from.getBytes(StandardCharsets.US_ASCII);
        byte[] b = to.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i + a.length <= der.length; i++) {
            if (Arrays.equals(der, i, i + a.length, a, 0, a.length)) {
                System.arraycopy(b, 0, der, i, b.length);
            }
        }
        return certificate(der);
    }

    /** Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm (copied), signature BIT STRING }. */
    private static byte[] sign(byte[] tbs, X509Certificate original, PrivateKey signer) throws Exception {
        Signature signature = Signature.getInstance(original.getSigAlgName());
        signature.initSign(signer);
        signature.update(tbs);
        byte[] value = signature.sign();
        byte[] algorithm = algorithmIdentifier(original.getEncoded(), original.getTBSCertificate().length);
        ByteArrayOutputStream bits = new ByteArrayOutputStream();
        bits.write(0);  // no unused bits
        bits.write(value);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(tbs);
        body.write(algorithm);
        body.write(tlv(0x03, bits.toByteArray()));
        return tlv(0x30, body.toByteArray());
    }

    /** The AlgorithmIdentifier right after the TBS in the original DER. */
    private static byte[] algorithmIdentifier(byte[] der, int tbsLength) {
        int start = headerLength(der, 0) + tbsLength;
        int length = headerLength(der, start) + contentLength(der, start);
        return Arrays.copyOfRange(der, start, start + length);
    }

    private static int headerLength(byte[] der, int at) {
        int first = der[at + 1] & 0xff;
        return first < 0x80 ? 2 : 2 + (first & 0x7f);
    }

    private static int contentLength(byte[] der, int at) {
        int first = der[at + 1] & 0xff;
        if (first < 0x80) {
            return first;
        }
        int length = 0;
        for (int i = 0; i < (first & 0x7f); i++) {
            length = (length << 8) | (der[at + 2 + i] & 0xff);
        }
        return length;
    }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n & 0xff);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }
}
