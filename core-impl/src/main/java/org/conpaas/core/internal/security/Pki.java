package org.conpaas.core.internal.security;

import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;

/**
 * The director's certificate authority. The CA is created at first start and kept under the director's data
 * folder; it issues the director's own certificate and one certificate per node (ARCHITECTURE §6/§8).
 */
public interface Pki {

    X509Certificate caCertificate();

    /** Issues a node's key and certificate (role agent, the owner's user id and the application id in the subject). */
    NodeCredentials issueNodeCredentials(String nodeId, String userId, long applicationId);

    /**
     * The TLS context the director uses as a client of agents: presents the director's certificate and trusts only
     * agent certificates issued by this CA.
     */
    SSLContext agentClientContext();
}
