package org.conpaas.core.rest;

import java.io.IOException;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.AbstractHandler;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes every malformed request a 400 problem+json instead of a Jetty HTML page or a 500. Pax Web 8 adds Jetty
 * {@link Handler} services to its server, those with a positive ranking in front of the servlet contexts, and hands
 * them the {@link Server}: this one then installs {@link ProblemErrorHandler} as the server's error handler (for what
 * Jetty refuses while parsing) and refuses, before CXF sees them, requests whose path or query Jetty let through
 * but CXF cannot parse (see {@link MalformedRequests}). Registered by {@link JettyChanges}: every Handler service
 * that appears makes Pax Web rebuild and restart Jetty.
 */
public class MalformedRequestGuard extends AbstractHandler {

    private static final Logger LOG = LoggerFactory.getLogger(MalformedRequestGuard.class);

    @Override
    public void setServer(Server server) {
        super.setServer(server);
        if (server == null || server.getErrorHandler() instanceof ProblemErrorHandler) {
            return;
        }
        // Pax Web calls this while the server starts, and the server starts a new error handler at once: it must
        // know its server before, or Jetty refuses it (and Pax Web would not start at all).
        try {
            ProblemErrorHandler errors = new ProblemErrorHandler();
            errors.setServer(server);
            server.setErrorHandler(errors);
            LOG.info("Jetty answers malformed requests with problem+json");
        } catch (RuntimeException e) {
            LOG.warn("cannot install the problem+json error handler; Jetty keeps its own pages", e);
        }
    }

    @Override
    public void handle(String target, Request baseRequest, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        String problem = MalformedRequests.problem(baseRequest.getHttpURI().getPath(),
                baseRequest.getHttpURI().getQuery());
        if (problem != null) {
            baseRequest.setHandled(true);
            response.setStatus(400);
            response.setContentType(Problems.MEDIA_TYPE);
            response.getOutputStream().write(ProblemErrorHandler.body(400, problem));
        }
    }

    /** Gives the server back a plain error handler, so that no class of this bundle stays referenced. */
    void close() {
        Server server = getServer();
        if (server != null && server.getErrorHandler() instanceof ProblemErrorHandler) {
            server.setErrorHandler(new ErrorHandler());
        }
    }
}
