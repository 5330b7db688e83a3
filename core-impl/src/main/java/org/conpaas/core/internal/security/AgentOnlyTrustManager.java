package org.conpaas.core.internal.security;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * How the director trusts agents: the chain must lead to the ConPaaS CA (not the JDK's trust store) and the peer
 * must have OU=agent. Host names are deliberately not verified: clouds assign addresses after the certificate is
 * issued; the caller checks identity by comparing the nodeId of the agent's status instead. Being an
 * X509ExtendedTrustManager is what keeps the JDK from adding its own host name check.
 */
final class AgentOnlyTrustManager extends X509ExtendedTrustManager {

    private final X509TrustManager caOnly;

    AgentOnlyTrustManager(X509TrustManager caOnly) {
        this.caOnly = caOnly;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        caOnly.checkServerTrusted(chain, authType);
        String role = role(chain[0]);
        if (!"agent".equals(role)) {
            throw new CertificateException("the peer is not a ConPaaS agent (OU=" + role + ")");
        }
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
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("the director's agent client context does not accept TLS clients");
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
    public X509Certificate[] getAcceptedIssuers() {
        return caOnly.getAcceptedIssuers();
    }

    static String role(X509Certificate certificate) {
        RDN[] units = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()).getRDNs(BCStyle.OU);
        return units.length == 0 ? null : IETFUtils.valueToString(units[0].getFirst().getValue());
    }
}
