package org.conpaas.core.internal.security;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/**
 * Keeps a key pair and its certificate as {@code <name>-key.pem} (owner-only) and {@code <name>-cert.pem}. Files
 * are written to a temporary name first, so a crash never leaves half a key behind.
 */
final class PemStore {

    private final Path directory;

    PemStore(Path directory) throws IOException {
        this.directory = directory;
        Files.createDirectories(directory);
    }

    boolean exists(String name) {
        return Files.isRegularFile(keyFile(name)) && Files.isRegularFile(certificateFile(name));
    }

    KeyPairAndCertificate load(String name) throws IOException, CertificateException {
        PrivateKey privateKey;
        try (Reader in = Files.newBufferedReader(keyFile(name), StandardCharsets.US_ASCII);
                PEMParser parser = new PEMParser(in)) {
            Object object = parser.readObject();
            if (!(object instanceof PrivateKeyInfo)) {
                throw new IOException(keyFile(name) + " does not hold a PKCS#8 private key");
            }
            privateKey = new JcaPEMKeyConverter().getPrivateKey((PrivateKeyInfo) object);
        }
        X509Certificate certificate;
        try (Reader in = Files.newBufferedReader(certificateFile(name), StandardCharsets.US_ASCII);
                PEMParser parser = new PEMParser(in)) {
            Object object = parser.readObject();
            if (!(object instanceof X509CertificateHolder)) {
                throw new IOException(certificateFile(name) + " does not hold a certificate");
            }
            certificate = new JcaX509CertificateConverter().getCertificate((X509CertificateHolder) object);
        }
        // the public half is the certificate's: one source of truth, and a key file that cannot disagree with it
        return new KeyPairAndCertificate(new KeyPair(certificate.getPublicKey(), privateKey), certificate);
    }

    void save(String name, KeyPairAndCertificate entry) throws IOException {
        write(keyFile(name), new JcaPKCS8Generator(entry.keyPair().getPrivate(), null), true);
        write(certificateFile(name), entry.certificate(), false);
    }

    private void write(Path target, Object pemObject, boolean secret) throws IOException {
        Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
        Files.deleteIfExists(temporary);
        if (secret) {
            Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        try (Writer out = Files.newBufferedWriter(temporary, StandardCharsets.US_ASCII);
                JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(pemObject);
        }
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private Path keyFile(String name) {
        return directory.resolve(name + "-key.pem");
    }

    private Path certificateFile(String name) {
        return directory.resolve(name + "-cert.pem");
    }
}
