package org.conpaas.core.internal.security;

import java.security.KeyPair;
import java.security.cert.X509Certificate;

/** A key pair and the certificate issued for its public key. */
public record KeyPairAndCertificate(KeyPair keyPair, X509Certificate certificate) {
}
