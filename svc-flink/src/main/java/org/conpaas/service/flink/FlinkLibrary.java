package org.conpaas.service.flink;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;

/** The rules both sides apply to Flink's lib/: jar names, their SHA-256, and where a node keeps them. */
public final class FlinkLibrary {

    public static final Pattern JAR_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,200}\\.jar");
    public static final Pattern VERSION = Pattern.compile("[0-9]+\\.[0-9]+\\.[0-9]+");
    /** Flink's lib/ holds some fifty jars; a manifest far longer is not one of ours. */
    public static final int MAX_JARS = 500;

    private FlinkLibrary() {
    }

    public static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            byte[] buffer = new byte[64 * 1024];
            while (in.read(buffer) >= 0) {
                // reading is digesting
            }
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }

    /** Checks a manifest (jar name → SHA-256) that came over the wire. */
    public static Map<String, String> checkManifest(Object value) {
        if (!(value instanceof Map<?, ?> map) || map.isEmpty() || map.size() > MAX_JARS) {
            throw new IllegalArgumentException("jars must name 1 to " + MAX_JARS + " jars with their SHA-256");
        }
        Map<String, String> jars = new java.util.TreeMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String name = String.valueOf(entry.getKey());
            String sha = String.valueOf(entry.getValue());
            if (!JAR_NAME.matcher(name).matches() || !sha.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("not a jar name with its SHA-256: " + name);
            }
            jars.put(name, sha);
        }
        return jars;
    }
}
