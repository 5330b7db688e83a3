package org.conpaas.core.internal.agent;

import java.io.ByteArrayInputStream;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.conpaas.core.internal.security.NodeCredentials;

/** TLS contexts made from node credentials, for the fake agents and foreign clients of the tests. */
final class TestTls {

    private TestTls() {
    }

    /** Presents the credentials' key and trusts what their trust store holds. */
    static SSLContext context(NodeCredentials keyFrom, NodeCredentials trustFrom) throws Exception {
        char[] keyPassword = keyFrom.password().toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(new ByteArrayInputStream(keyFrom.keyStore()), keyPassword);
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, keyPassword);
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(new ByteArrayInputStream(trustFrom.trustStore()), trustFrom.password().toCharArray());
        TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }
}
