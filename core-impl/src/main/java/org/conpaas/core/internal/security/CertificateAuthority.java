package org.conpaas.core.internal.security;

import java.security.cert.X509Certificate;
import java.time.Instant;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;

/**
 * The director's CA as seen by the issuers of user and HTTPS certificates: its certificate (whose public key is
 * what every certificate of ours is checked against) and a general issuing operation. Kept apart from {@link Pki},
 * whose callers need only node credentials.
 */
public interface CertificateAuthority {

    X509Certificate caCertificate();

    /**
     * A new EC P-256 key and a certificate for it, signed by the CA. The validity is cut at the CA's own end;
     * {@code alternativeNames} may be null.
     */
    KeyPairAndCertificate issue(X500Name subject, Instant notBefore, Instant notAfter, KeyPurposeId[] purposes,
            GeneralNames alternativeNames);
}
