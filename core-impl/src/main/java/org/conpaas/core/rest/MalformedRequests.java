package org.conpaas.core.rest;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Tells whether a request's raw path and query can be read at all. Jetty refuses most broken percent escapes itself
 * (answered by {@link ProblemErrorHandler}), but not in path parameters ({@code /x;%}) or the query, which CXF then
 * fails to parse with a 500; this catches those before any servlet runs.
 */
final class MalformedRequests {

    private MalformedRequests() {
    }

    /** Why the raw path or query is malformed, or null when it is fine. */
    static String problem(String rawPath, String rawQuery) {
        String path = rawPath == null ? "" : rawPath;
        if (!escapesAreWhole(path)) {
            return "the request path has a '%' that is not followed by two hexadecimal digits";
        }
        if (rawQuery != null && !escapesAreWhole(rawQuery)) {
            return "the query has a '%' that is not followed by two hexadecimal digits";
        }
        if (onlyPathCharacters(path)) {
            return null; // the usual case, answered without building a URI on every request
        }
        try {
            new URI("http://localhost" + (path.startsWith("/") ? path : "/" + path));
        } catch (URISyntaxException e) {
            return "the request path is not a valid URI path: " + e.getReason();
        }
        return null;
    }

    private static boolean escapesAreWhole(String raw) {
        for (int i = 0; i < raw.length(); i++) {
            if (raw.charAt(i) == '%') {
                if (i + 2 >= raw.length() || !isHex(raw.charAt(i + 1)) || !isHex(raw.charAt(i + 2))) {
                    return false;
                }
                i += 2;
            }
        }
        return true;
    }

    /** Whether every character may stand in an RFC 3986 path as it is ('/', pchar; escapes are checked above). */
    static boolean onlyPathCharacters(String path) {
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            boolean plain = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || "/-._~!$&'()*+,;=:@%".indexOf(c) >= 0;
            if (!plain) {
                return false;
            }
        }
        return true;
    }

    private static boolean isHex(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }
}
