package org.conpaas.core.internal.security;

import java.io.IOException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.pkcs.PKCS12PfxPduBuilder;
import org.bouncycastle.pkcs.PKCS12SafeBag;
import org.bouncycastle.pkcs.PKCS12SafeBagBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS12SafeBagBuilder;
import org.bouncycastle.pkcs.jcajce.JcePKCS12MacCalculatorBuilder;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEOutputEncryptorBuilder;

/**
 * PKCS#12 key and trust stores written with one round of key derivation instead of the JDK's 10,000: a node's two
 * files, the director's HTTPS stores and the director's own in-memory store for calling agents.
 *
 * <p>Every such password is random (144 bits, {@code BouncyCastlePki}, {@code HttpsKeyStores}), so stretching it adds
 * nothing an attacker would notice, while each of the five derivations (key, certificates and MAC of the key store;
 * certificates and MAC of the trust store) cost ~25 ms of CPU with the C1 compiler, on the director for every node it
 * launches and again on the node when the agent starts (measured: ~125 ms per node on each side), and more at boot,
 * where the code still runs in the interpreter. Never for a password a person chose. The layout is what the JDK writes,
 * so the agent reads the files with {@code KeyStore.getInstance("PKCS12")}: the key shrouded with PBES2 (PBKDF2 with
 * HMAC-SHA256, AES-256-CBC), certificates in the clear as the JDK does with {@code
 * keystore.pkcs12.certProtectionAlgorithm=NONE}, an HMAC-SHA256 over the whole file, and the CA in the trust store
 * marked as trusted for any purpose (the attribute without which the JDK loads no trusted certificate entry).
 */
final class OneRoundKeyStores {

    /** The JDK's "trusted key usage" bag attribute (Oracle's arc). */
    private static final ASN1ObjectIdentifier TRUSTED_KEY_USAGE = new ASN1ObjectIdentifier("2.16.840.1.113894.746875.1.1");
    private static final int DERIVATION_ROUNDS = 1;
    /** The JDK's own providers have no PKCS#12 MAC by digest name; Bouncy Castle's has (one instance, made once). */
    private static final java.security.Provider BOUNCY_CASTLE = new org.bouncycastle.jce.provider.BouncyCastleProvider();

    private OneRoundKeyStores() {
    }

    /** A key store with the key and its chain (leaf first) under {@code alias}. */
    static byte[] keyStore(String alias, PrivateKey key, X509Certificate[] chain, char[] password,
            SecureRandom random) throws IOException {
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            PublicKey publicKey = chain[0].getPublicKey();
            DERBMPString name = new DERBMPString(alias);
            var keyId = extensions.createSubjectKeyIdentifier(publicKey);
            PKCS12SafeBag[] certificates = new PKCS12SafeBag[chain.length];
            for (int i = 0; i < chain.length; i++) {
                PKCS12SafeBagBuilder bag = new JcaPKCS12SafeBagBuilder(chain[i]);
                if (i == 0) {
                    bag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_friendlyName, name);
                    bag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_localKeyId, keyId);
                }
                certificates[i] = bag.build();
            }
            PKCS12SafeBagBuilder keyBag = new JcaPKCS12SafeBagBuilder(key, keyEncryptor(password, random));
            keyBag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_friendlyName, name);
            keyBag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_localKeyId, keyId);
            PKCS12PfxPduBuilder pfx = new PKCS12PfxPduBuilder();
            for (PKCS12SafeBag certificate : certificates) {
                pfx.addData(certificate);
            }
            pfx.addData(keyBag.build());
            return seal(pfx, password);
        } catch (java.security.NoSuchAlgorithmException | OperatorCreationException e) {
            throw new IOException("cannot write a PKCS#12 key store: " + e.getMessage(), e);
        }
    }

    /** A trust store with {@code certificate} as its one trusted entry under {@code alias}. */
    static byte[] trustStore(String alias, X509Certificate certificate, char[] password) throws IOException {
        PKCS12SafeBagBuilder bag = new JcaPKCS12SafeBagBuilder(certificate);
        bag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_friendlyName, new DERBMPString(alias));
        bag.addBagAttribute(TRUSTED_KEY_USAGE, KeyPurposeId.anyExtendedKeyUsage.toOID());
        PKCS12PfxPduBuilder pfx = new PKCS12PfxPduBuilder();
        pfx.addData(bag.build());
        return seal(pfx, password);
    }

    private static OutputEncryptor keyEncryptor(char[] password, SecureRandom random)
            throws OperatorCreationException {
        return new JcePKCSPBEOutputEncryptorBuilder(NISTObjectIdentifiers.id_aes256_CBC)
                .setPRF(new AlgorithmIdentifier(PKCSObjectIdentifiers.id_hmacWithSHA256))
                .setIterationCount(DERIVATION_ROUNDS)
                .setProvider(BOUNCY_CASTLE)
                .setRandom(random)
                .build(password);
    }

    private static byte[] seal(PKCS12PfxPduBuilder pfx, char[] password) throws IOException {
        try {
            return pfx.build(new JcePKCS12MacCalculatorBuilder(NISTObjectIdentifiers.id_sha256)
                    .setProvider(BOUNCY_CASTLE).setIterationCount(DERIVATION_ROUNDS), password).getEncoded(ASN1Encoding.DER);
        } catch (PKCSException e) {
            throw new IOException("cannot seal a PKCS#12 file: " + e.getMessage(), e);
        }
    }
}
