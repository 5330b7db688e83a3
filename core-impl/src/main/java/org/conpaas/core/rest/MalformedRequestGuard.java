package org.conpaas.core.rest;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Hashtable;

import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.FilterConfig;
import javax.servlet.ServletContext;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes every malformed request a 400 problem+json instead of a Jetty HTML page or a 500. A filter on the OSGi HTTP
 * Whiteboard in front of every servlet of the director's context: it refuses requests whose path or query Jetty let
 * through but CXF cannot parse ({@link MalformedRequests}), and it makes {@link ProblemErrorHandler} the error
 * handler of the Jetty server it runs in, for what Jetty refuses while parsing, before any filter runs.
 *
 * <p>A filter, not a Jetty {@code Handler} service as before: Pax Web rebuilds and restarts Jetty for every Handler
 * service that appears, which cost each start of the director a Jetty restart (about half a second, and a request
 * that reached the old Jetty could stay unanswered for good). A filter is only added to the running context. Pax Web
 * initialises it again in each Jetty it starts, so a Jetty restarted for new HTTPS settings gets the handler too.
 */
public final class MalformedRequestGuard implements Filter {

    static final String PATTERN = "/*";
    private static final Logger LOG = LoggerFactory.getLogger(MalformedRequestGuard.class);

    /** The Jetty server whose error handler this installed; null until known. */
    private volatile Server server;

    static ServiceRegistration<Filter> register(BundleContext context) {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_FILTER_PATTERN, PATTERN);
        properties.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_FILTER_NAME, "conpaas-malformed-request-guard");
        // the API's servlet suspends requests (?wait=N): every filter in front of it must allow that
        properties.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_FILTER_ASYNC_SUPPORTED, true);
        return context.registerService(Filter.class, new MalformedRequestGuard(), properties);
    }

    @Override
    public void init(FilterConfig config) {
        // Pax Web hands filters its own ServletContext; the context it delegates to for "/" is Jetty's, which knows
        // its server
        ServletContext jetty = config.getServletContext().getContext("/");
        if (jetty instanceof ContextHandler.Context) {
            install(((ContextHandler.Context) jetty).getContextHandler().getServer());
        }
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (server == null) {
            // init could not reach the server: the first request that passes here can
            Request base = Request.getBaseRequest(request);
            if (base != null) {
                install(base.getHttpChannel().getServer());
            }
        }
        HttpServletRequest http = (HttpServletRequest) request;
        // both raw, as received: Jetty has not decoded the request URI or the query string
        String problem = MalformedRequests.problem(http.getRequestURI(), http.getQueryString());
        if (problem == null) {
            chain.doFilter(request, response);
            return;
        }
        HttpServletResponse refused = (HttpServletResponse) response;
        refused.setStatus(400);
        refused.setContentType(Problems.MEDIA_TYPE);
        refused.getOutputStream().write(ProblemErrorHandler.body(400, problem));
    }

    private void install(Server jetty) {
        server = jetty;
        if (jetty == null || jetty.getErrorHandler() instanceof ProblemErrorHandler) {
            return;
        }
        try {
            // a running server starts the new handler at once: it must know its server before, or Jetty refuses it
            ProblemErrorHandler errors = new ProblemErrorHandler();
            errors.setServer(jetty);
            jetty.setErrorHandler(errors);
            LOG.info("Jetty answers malformed requests with problem+json");
        } catch (RuntimeException e) {
            LOG.warn("cannot install the problem+json error handler; Jetty keeps its own pages", e);
        }
    }

    /** Gives the server back a plain error handler, so that no class of this bundle stays referenced. */
    @Override
    public void destroy() {
        Server jetty = server;
        server = null;
        if (jetty != null && jetty.getErrorHandler() instanceof ProblemErrorHandler) {
            jetty.setErrorHandler(new ErrorHandler());
        }
    }
}
