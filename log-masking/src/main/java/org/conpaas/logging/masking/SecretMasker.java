package org.conpaas.logging.masking;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces secrets in a log message by {@code ***}: HTTP credentials (Authorization and Proxy-Authorization headers
 * in any dump format, Basic/Bearer/Negotiate values, cookies), values of keys that name a password, secret, token,
 * credential or private/API/access key ({@code k=v}, {@code k: v}, {@code "k":"v"}, {@code --password v}), the
 * password of a URL's user info, and PEM private key blocks. It errs on the side of masking: a masked word too many
 * in a debug message costs nothing, a password in a log file is a leak.
 */
public final class SecretMasker {

    static final String MASK = "***";

    /** Words that mark a key or option as holding a secret. */
    private static final String SECRET_WORD = "(?:password|passwd|passphrase|pwd|secret|token|credential"
            + "|private[._-]?key|api[._-]?key|access[._-]?key|session[._-]?id|jsessionid)";
    /** A whole key containing a secret word, e.g. {@code org.ops4j.pax.web.ssl.keystore.password}. */
    private static final String SECRET_KEY = "[\\w.-]*" + SECRET_WORD + "[\\w.-]*";
    /** Between a key and its value: {@code =}, {@code :}, {@code ":"}, with spaces, a bracket or a quote. */
    private static final String SEPARATOR = "[\"']?+[ \\t]*+[:=][ \\t]*+\\[?+[ \\t]*+";

    private record Rule(Pattern pattern, String replacement) {
        String apply(String text) {
            Matcher m = pattern.matcher(text);
            return m.find() ? m.replaceAll(replacement) : text;
        }
    }

    private static final List<Rule> RULES = List.of(
            // PEM private keys: the whole body (an unterminated block is masked to the end)
            new Rule(Pattern.compile("(-----BEGIN ([A-Z0-9 ]*PRIVATE KEY)-----).*?(?:-----END \\2-----|\\z)",
                    Pattern.DOTALL), "$1" + MASK + "-----END $2-----"),
            // Jetty's debug dumps of network buffers ("HeapByteBuffer@1a2b[p=0,l=277,c=8192,r=277]={<<<POST ...>>>}")
            // show the first and last bytes of the data, which cut any secret (a header, a JSON field) in pieces no
            // key-based rule recognises: the whole dump goes, to the end of the line
            new Rule(Pattern.compile("(\\w*ByteBuffer\\w*@\\p{XDigit}+\\[[^\\]\\r\\n]*\\]=\\{)"
                    + "(?!\\*\\*\\*\\})[^\\r\\n]*"),
                    "$1" + MASK + "}"),
            // Authorization headers, whatever the dump format: "Authorization: Basic x", "Authorization=[Basic x]"; the
            // whole rest of the line or bracket (a Digest value holds commas)
            new Rule(Pattern.compile("(?i)\\b((?:proxy-)?authorization" + SEPARATOR + ")(?!\\*\\*\\*)[^\\r\\n\\]}]+"),
                    "$1" + MASK),
            // cookies carry session identifiers: the whole header value
            new Rule(Pattern.compile("(?i)\\b((?:set-)?cookie2?" + SEPARATOR + ")(?!\\*\\*\\*)[^\\r\\n\\]}]+"),
                    "$1" + MASK),
            // credentials of an HTTP authentication scheme anywhere, e.g. in a raw request dump
            new Rule(Pattern.compile("\\b(Basic|Bearer|Negotiate|NTLM)[ \\t]+(?!\\*\\*\\*)[A-Za-z0-9+/._~-]{6,}=*"),
                    "$1 " + MASK),
            // "key": "value" and key='value' with a quoted value (may hold spaces)
            new Rule(Pattern.compile("(?i)(" + SECRET_KEY + SEPARATOR + ")\"(?:\\\\.|[^\"\\\\])*\""),
                    "$1\"" + MASK + "\""),
            new Rule(Pattern.compile("(?i)(" + SECRET_KEY + SEPARATOR + ")'[^']*'"), "$1'" + MASK + "'"),
            // key=value, key: value (the value ends at a blank, a quote or a separator of maps and lists)
            new Rule(Pattern.compile("(?i)(" + SECRET_KEY + SEPARATOR + ")(?![\"'\\s]|\\*\\*\\*)[^\\s\"',;&}\\]]+"),
                    "$1" + MASK),
            // command-line options: --password value, --password=value, --store-password 'a b'
            new Rule(Pattern.compile("(?i)(--" + SECRET_KEY + ")(=|[ \\t]+)('[^']*'|\"[^\"]*\"|(?!-)\\S+)"),
                    "$1$2" + MASK),
            // shell command lines (Karaf logs each at DEBUG) with a secret as a positional argument
            new Rule(Pattern.compile("(?i)(config:property-(?:set|append)\\b[^\\r\\n]*?\\s" + SECRET_KEY
                    + "[ \\t]+)(?!\\*\\*\\*)('[^']*'|\"[^\"]*\"|\\S+)"), "$1" + MASK),
            new Rule(Pattern.compile("(?i)(jaas:user-?add[ \\t]+(?:-\\S+[ \\t]+)*[^\\s-]\\S*[ \\t]+)(?!\\*\\*\\*)"
                    + "('[^']*'|\"[^\"]*\"|\\S+)"), "$1" + MASK),
            new Rule(Pattern.compile("(ssh:ssh\\b[^\\r\\n]*?\\s-P[ \\t]+)(?!\\*\\*\\*)('[^']*'|\"[^\"]*\"|\\S+)"),
                    "$1" + MASK),
            // user:password@ in a URL
            new Rule(Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://[^/\\s:@]+:)[^/\\s@]+@"), "$1" + MASK + "@"));

    /** Lower-case fragments one of which every secret the rules find contains; most messages have none. */
    private static final List<String> HINTS = List.of("password", "passwd", "passphrase", "pwd", "secret", "token",
            "credential", "key", "authorization", "cookie", "basic", "bearer", "negotiate", "ntlm", "session",
            "bytebuffer", "jaas:", "ssh:", "://");

    private SecretMasker() {
    }

    /** The text with every secret replaced by {@code ***}; the same instance when there is nothing to mask. */
    public static String mask(String text) {
        if (text == null || text.isEmpty() || !mayHoldSecret(text)) {
            return text;
        }
        String masked = text;
        for (Rule rule : RULES) {
            masked = rule.apply(masked);
        }
        return masked.equals(text) ? text : masked;
    }

    private static boolean mayHoldSecret(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        for (String hint : HINTS) {
            if (lower.contains(hint)) {
                return true;
            }
        }
        return false;
    }
}
