package org.conpaas.agent.core.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Validates client chains against the agent's trust store only (the director's CA), then applies the
 * {@link PeerRule}; a refused peer fails the TLS handshake. The agent never acts as a TLS client here.
 */
final class PeerCheckingTrustManager extends X509ExtendedTrustManager {

    private final X509TrustManager caOnly;
    private final PeerRule rule;

    PeerCheckingTrustManager(X509TrustManager caOnly, PeerRule rule) {
        this.caOnly = caOnly;
        this.rule = rule;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        caOnly.checkClientTrusted(chain, authType);
        String refusal = rule.refusal(SubjectFields.of(chain[0].getSubjectX500Principal()));
        if (refusal != null) {
            throw new CertificateException("peer refused: " + refusal);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("the agent does not connect to TLS servers with this context");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return caOnly.getAcceptedIssuers();
    }
}
