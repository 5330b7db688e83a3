package org.conpaas.frontend;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Which file of the bundle answers a path under {@code /console/}, with its media type and security headers. The
 * console's own files live under {@code console/}; the two libraries are the embedded WebJars, at
 * {@code /console/lib/uplot/...} and {@code /console/lib/swagger-ui/...}. Anything else is 404: a path with
 * {@code ..}, a backslash or an odd character never reaches the class loader.
 */
final class ConsoleFiles {

    /** A file to send. */
    record ConsoleFile(URL url, String contentType, String contentSecurityPolicy, boolean versioned) {
    }

    /**
     * Scripts and styles only from the bundle itself (no inline script, no eval), API calls to the same origin, no
     * framing, forms posting nowhere else.
     */
    static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
    /** Swagger UI sets style attributes from its scripts; scripts stay limited to the bundle. */
    static final String API_PAGE_POLICY = POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'");

    private static final Pattern SAFE_PATH = Pattern.compile("(/[A-Za-z0-9_-][A-Za-z0-9._-]{0,100}){1,8}");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "png", "image/png",
            "svg", "image/svg+xml",
            "json", "application/json",
            "map", "application/json");

    private final ClassLoader loader;
    private final Map<String, String> libraries;

    ConsoleFiles(ClassLoader loader) {
        this.loader = loader;
        Properties versions = new Properties();
        try (InputStream in = loader.getResourceAsStream("console-libraries.properties")) {
            if (in == null) {
                throw new IllegalStateException("console-libraries.properties is missing from the bundle");
            }
            versions.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.libraries = Map.of(
                "uplot", "META-INF/resources/webjars/uplot/" + versions.getProperty("uplot") + "/dist",
                "swagger-ui", "META-INF/resources/webjars/swagger-ui/" + versions.getProperty("swagger-ui"));
    }

    /** The file for a path under /console ({@code pathInfo}: "/", "/js/app.js", "/api", "/lib/uplot/x.js"). */
    Optional<ConsoleFile> find(String pathInfo) {
        String path = pathInfo == null || pathInfo.equals("/") ? "/index.html" : pathInfo;
        if (path.equals("/api") || path.equals("/api/")) {
            path = "/api.html";
        }
        if (!SAFE_PATH.matcher(path).matches() || path.contains("..")) {
            return Optional.empty();
        }
        String resource;
        boolean versioned = false;
        if (path.startsWith("/lib/")) {
            String rest = path.substring("/lib/".length());
            int slash = rest.indexOf('/');
            String base = slash < 0 ? null : libraries.get(rest.substring(0, slash));
            if (base == null) {
                return Optional.empty();
            }
            resource = base + rest.substring(slash);
            versioned = true;
        } else {
            resource = "console" + path;
        }
        String type = TYPES.get(extension(path));
        URL url = type == null ? null : loader.getResource(resource);
        if (url == null) {
            return Optional.empty();
        }
        String policy = path.equals("/api.html") ? API_PAGE_POLICY : POLICY;
        return Optional.of(new ConsoleFile(url, type, policy, versioned));
    }

    private static String extension(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? "" : path.substring(dot + 1);
    }
}
