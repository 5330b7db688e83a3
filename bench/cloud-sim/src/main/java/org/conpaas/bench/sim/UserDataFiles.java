package org.conpaas.bench.sim;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files a node's user data writes (the director's boot script embeds each as a base64 heredoc:
 * {@code base64 -d > NAME <<'CONPAAS_END'}), read as a machine running the script would get them.
 */
final class UserDataFiles {
    /** A node's boot script is ~10 KB; anything far larger is not one. */
    static final int MAX_USER_DATA = 1 << 20;
    private static final Pattern FILE = Pattern.compile(
            "^base64 -d > ([A-Za-z0-9._-]+) <<'CONPAAS_END'\\n(.*?)\\nCONPAAS_END$", Pattern.MULTILINE | Pattern.DOTALL);

    private final Map<String, byte[]> files = new HashMap<>();

    UserDataFiles(String userData) {
        if (userData.length() > MAX_USER_DATA) {
            throw new IllegalArgumentException("user data over " + MAX_USER_DATA + " characters");
        }
        Matcher m = FILE.matcher(userData);
        while (m.find()) {
            files.put(m.group(1), Base64.getMimeDecoder().decode(m.group(2)));
        }
    }

    byte[] require(String name) {
        byte[] content = files.get(name);
        if (content == null) {
            throw new IllegalArgumentException("the user data writes no " + name);
        }
        return content;
    }

    /** agent.properties: the node's identity and the stores' password. */
    Properties agentProperties() {
        Properties p = new Properties();
        try {
            p.load(new StringReader(new String(require("agent.properties"), StandardCharsets.ISO_8859_1)));
        } catch (IOException e) {
            throw new IllegalArgumentException("agent.properties cannot be read: " + e.getMessage(), e);
        }
        return p;
    }
}
