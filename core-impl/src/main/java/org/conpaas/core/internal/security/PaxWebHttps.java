package org.conpaas.core.internal.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns on pax-web's HTTPS connector with the director's certificate: prepares the key stores ({@link
 * HttpsKeyStores}) and writes the secure-connector settings into pax-web's configuration (PID
 * {@code org.ops4j.pax.web}). Pax Web restarts Jetty whenever that configuration changes, and only then, so the
 * settings are written only when they differ. In a Karaf the configuration comes from
 * {@code etc/org.ops4j.pax.web.cfg}, and the settings go into that file ({@link CfgFile}, whole in one rename), from
 * which File Install updates the configuration; later starts have HTTPS from the first moment. A configuration
 * without a file is updated through Config Admin. The certificate's
 * fingerprint is part of the settings because Jetty reads a key store only when it starts: a reissued certificate
 * must change the configuration to be served. Client certificates are wanted, not needed: password clients keep
 * working, and a presented certificate is verified against our CA by the TLS layer (trust store) and again by
 * the REST API's authentication. Called by {@code JettyChanges}, which orders every change that restarts Jetty.
 */
public final class PaxWebHttps {

    static final String PAX_WEB_PID = "org.ops4j.pax.web";
    static final String FINGERPRINT = "conpaas.https.certificate";
    private static final String SECURE_ENABLED = "org.osgi.service.http.secure.enabled";
    private static final String SECURE_PORT = "org.osgi.service.http.port.secure";
    private static final String FILE_INSTALL_FILENAME = "felix.fileinstall.filename";
    private static final Logger LOG = LoggerFactory.getLogger(PaxWebHttps.class);

    private final CertificateAuthority ca;
    private final ConfigurationAdmin configurations;

    public PaxWebHttps(CertificateAuthority ca, ConfigurationAdmin configurations) {
        this.ca = ca;
        this.configurations = configurations;
    }

    /**
     * What {@link #configure} did: whether Jetty restarts with the new settings, and why HTTPS is off (null when on).
     */
    public record Outcome(boolean restarts, String offReason) {
    }

    /**
     * Writes the settings {@code config} asks for; Jetty restarts when they changed. A secure port another program
     * holds is not given to Jetty: Jetty would fail to start at all, and plain HTTP with it.
     */
    public Outcome configure(HttpsConfig config) {
        try {
            Configuration paxWeb = configurations.getConfiguration(PAX_WEB_PID, "?");
            String offReason = config.enabled() ? null : "HTTPS is turned off in etc/org.conpaas.https.cfg";
            if (offReason == null && !portAvailable(paxWeb.getProperties(), config.port())) {
                offReason = "HTTPS port " + config.port() + " is taken by another program";
                LOG.error("HTTPS stays off: port {} is taken by another program; the REST API answers on HTTP only "
                        + "(choose another port in etc/org.conpaas.https.cfg)", config.port());
            }
            boolean changed = apply(paxWeb, settings(config, offReason == null
                    ? HttpsKeyStores.prepare(ca, pkiDirectory(), config.hostName()) : null));
            if (offReason == null) {
                LOG.info("REST API over HTTPS on port {} with the director's certificate", config.port());
            }
            return new Outcome(changed, offReason);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot configure pax-web's HTTPS connector", e);
        }
    }

    /**
     * Whether Jetty can listen on {@code port} on every address pax-web listens on ({@code current}: pax-web's
     * settings); always true when Jetty was given that port before, as it may hold it itself.
     */
    static boolean portAvailable(Dictionary<String, Object> current, int port) {
        if (current != null && "true".equals(String.valueOf(current.get(SECURE_ENABLED)))
                && String.valueOf(port).equals(String.valueOf(current.get(SECURE_PORT)))) {
            return true;
        }
        Object listening = current == null ? null : current.get("org.ops4j.pax.web.listening.addresses");
        for (String address : (listening == null ? "0.0.0.0" : listening.toString()).split(",")) {
            try (ServerSocket probe = new ServerSocket()) {
                probe.setReuseAddress(true);
                probe.bind(new InetSocketAddress(address.strip(), port));
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    static Path pkiDirectory() {
        return Path.of(System.getProperty("karaf.data", "data"), "conpaas", "pki");
    }

    /** The pax-web keys of the secure connector; without stores, only "disabled". */
    static Map<String, String> settings(HttpsConfig config, HttpsKeyStores.Stores stores) {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put(SECURE_ENABLED, Boolean.toString(stores != null));
        if (stores == null) {
            return keys;
        }
        keys.put(SECURE_PORT, Integer.toString(config.port()));
        keys.put("org.ops4j.pax.web.ssl.keystore", stores.keyStore().toAbsolutePath().toString());
        keys.put("org.ops4j.pax.web.ssl.keystore.type", "PKCS12");
        keys.put("org.ops4j.pax.web.ssl.keystore.password", stores.password());
        keys.put("org.ops4j.pax.web.ssl.key.password", stores.password());
        keys.put("org.ops4j.pax.web.ssl.key.alias", HttpsKeyStores.KEY_ALIAS);
        keys.put("org.ops4j.pax.web.ssl.truststore", stores.trustStore().toAbsolutePath().toString());
        keys.put("org.ops4j.pax.web.ssl.truststore.type", "PKCS12");
        keys.put("org.ops4j.pax.web.ssl.truststore.password", stores.password());
        keys.put("org.ops4j.pax.web.ssl.clientauth.wanted", "true");
        keys.put("org.ops4j.pax.web.ssl.clientauth.needed", "false");
        keys.put(FINGERPRINT, stores.fingerprint());
        return keys;
    }

    /** Updates the configuration only when one of the keys differs: every update restarts Jetty. */
    static boolean apply(Configuration configuration, Map<String, String> wanted) throws IOException {
        Dictionary<String, Object> current = configuration.getProperties();
        Hashtable<String, Object> next = new Hashtable<>();
        if (current != null) {
            for (Enumeration<String> keys = current.keys(); keys.hasMoreElements();) {
                String key = keys.nextElement();
                next.put(key, current.get(key));
            }
        }
        boolean changed = false;
        for (Map.Entry<String, String> entry : wanted.entrySet()) {
            Object present = next.get(entry.getKey());
            if (!Objects.equals(present == null ? null : present.toString(), entry.getValue())) {
                next.put(entry.getKey(), entry.getValue());
                changed = true;
            }
        }
        if (changed) {
            Path file = fileOf(current);
            if (file != null && Files.isRegularFile(file)) {
                // File Install owns it: the file changes (in one rename) and File Install updates the configuration
                CfgFile.put(file, wanted);
            } else {
                configuration.update(next);
            }
            LOG.info("pax-web's HTTPS settings changed; Jetty restarts with them");
        }
        return changed;
    }

    /** The file of {@code etc/} File Install read the configuration from ({@code felix.fileinstall.filename}), or null. */
    static Path fileOf(Dictionary<String, Object> properties) {
        Object name = properties == null ? null : properties.get(FILE_INSTALL_FILENAME);
        if (name == null) {
            return null;
        }
        try {
            return Path.of(URI.create(name.toString()));
        } catch (IllegalArgumentException | FileSystemNotFoundException e) {
            LOG.warn("pax-web's configuration names a file that is not one: {}", name);
            return null;
        }
    }
}
