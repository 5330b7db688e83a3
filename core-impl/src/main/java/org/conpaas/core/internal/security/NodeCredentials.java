package org.conpaas.core.internal.security;

/** A node's TLS material: key store (key + certificate chain) and trust store (the CA), PKCS#12, one password. */
public record NodeCredentials(byte[] keyStore, byte[] trustStore, String password) {
}
