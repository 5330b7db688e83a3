package org.conpaas.frontend;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;

/**
 * The web console at {@code /console/}: static pages, scripts and styles from this bundle, served through the OSGi
 * HTTP Whiteboard on the director's own HTTP and HTTPS ports. The pages use nothing but the public REST API
 * ({@code /api/v1}); this servlet holds no state and knows no user, so the bundle can come and go at any time.
 */
@Component(service = Servlet.class, property = {
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=/console/*",
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME + "=conpaas-console"})
public final class ConsoleServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient ConsoleFiles files = new ConsoleFiles(ConsoleServlet.class.getClassLoader());

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String pathInfo = request.getPathInfo();
        if (pathInfo == null) {
            // "/console" → "/console/", so the pages' relative links resolve under it
            response.sendRedirect(request.getRequestURI() + "/");
            return;
        }
        securityHeaders(response);
        Optional<ConsoleFiles.ConsoleFile> file = files.find(pathInfo);
        if (file.isEmpty()) {
            response.setHeader("Content-Security-Policy", ConsoleFiles.POLICY);
            response.sendError(HttpServletResponse.SC_NOT_FOUND, "no such page in the console");
            return;
        }
        ConsoleFiles.ConsoleFile found = file.get();
        response.setContentType(found.contentType());
        response.setHeader("Content-Security-Policy", found.contentSecurityPolicy());
        // libraries are named by version (a new version is a new path); our own files change with the bundle
        response.setHeader("Cache-Control", found.versioned() ? "public, max-age=86400" : "no-cache");
        if ("HEAD".equals(request.getMethod())) {
            return;
        }
        try (InputStream in = found.url().openStream(); OutputStream out = response.getOutputStream()) {
            in.transferTo(out);
        }
    }

    /** The same everywhere under /console: no sniffing, no framing, no referrer to other sites. */
    static void securityHeaders(HttpServletResponse response) {
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Referrer-Policy", "same-origin");
    }
}
