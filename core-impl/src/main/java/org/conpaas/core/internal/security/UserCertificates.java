package org.conpaas.core.internal.security;

import java.security.cert.X509Certificate;
import org.conpaas.api.model.UserInfo;

/** Users' client certificates, issued by the director's CA (ConPaaS' subject scheme with role {@code user}). */
public interface UserCertificates {

    /** A new key and certificate for the user: a zip of {@code cert.pem}, {@code key.pem}, {@code ca_cert.pem}. */
    byte[] issueZip(UserInfo user);

    /**
     * The username a presented client chain authenticates: issued by our CA, within its validity, role {@code user},
     * and its user still exists. Throws {@link org.conpaas.api.AuthenticationException} otherwise.
     */
    String authenticate(X509Certificate[] chain);
}
