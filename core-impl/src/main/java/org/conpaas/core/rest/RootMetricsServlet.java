package org.conpaas.core.rest;

import java.io.IOException;
import javax.servlet.Servlet;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * Prometheus' conventional address, {@code /metrics}: the API's {@code /api/v1/metrics} ({@link MetricsResource}),
 * forwarded inside the server, so the same login, the same per-user view and the same answer serve both.
 */
final class RootMetricsServlet extends HttpServlet {

    static final String PATTERN = "/metrics";
    static final String TARGET = RestServers.PUBLIC_API_BASE + "/metrics";
    private static final long serialVersionUID = 1L;

    static ServiceRegistration<Servlet> register(BundleContext context) {
        return context.registerService(Servlet.class, new RootMetricsServlet(),
                ApiServlet.whiteboard(PATTERN, "conpaas-metrics"));
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        getServletContext().getRequestDispatcher(TARGET).forward(request, response);
    }
}
