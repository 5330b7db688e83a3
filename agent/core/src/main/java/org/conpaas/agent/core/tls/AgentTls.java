package org.conpaas.agent.core.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Collections;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** Builds the agent's server TLS context from its PKCS#12 key store and trust store. */
public final class AgentTls {

    private AgentTls() {
    }

    public static SSLContext serverContext(Path keyStoreFile, Path trustStoreFile, String password) {
        try {
            char[] secret = password.toCharArray();
            KeyStore keyStore = load(keyStoreFile, secret);
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(keyStore, secret);

            TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
            trust.init(load(trustStoreFile, secret));
            X509TrustManager caOnly = (X509TrustManager) trust.getTrustManagers()[0];

            PeerRule rule = new PeerRule(SubjectFields.of(ownCertificate(keyStore).getSubjectX500Principal()));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), new TrustManager[] {new PeerCheckingTrustManager(caOnly, rule)}, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot load the agent's TLS credentials: " + e.getMessage(), e);
        }
    }

    private static KeyStore load(Path file, char[] password) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password);
        }
        return store;
    }

    private static X509Certificate ownCertificate(KeyStore keyStore) throws GeneralSecurityException {
        for (String alias : Collections.list(keyStore.aliases())) {
            if (keyStore.isKeyEntry(alias)) {
                return (X509Certificate) keyStore.getCertificate(alias);
            }
        }
        throw new GeneralSecurityException("the key store holds no key");
    }
}
