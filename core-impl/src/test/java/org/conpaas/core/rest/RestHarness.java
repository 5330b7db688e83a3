package org.conpaas.core.rest;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.apache.cxf.Bus;
import org.apache.cxf.BusFactory;
import org.apache.cxf.transport.servlet.CXFNonSpringServlet;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.StatisticsHandler;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Runs the REST API as in Karaf: the CXF servlet mounted at {@code /api} in Jetty 9.4, bound to 127.0.0.1 on a
 * free port, with our endpoints published on the servlet's bus.
 */
final class RestHarness implements AutoCloseable {

    static {
        // keep test output readable; must run before the first logger is created
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }

    private final Server jetty;
    private final Bus bus;
    private final RestServers servers;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    final URI base;

    RestHarness(FakeDirector director, String user) throws Exception {
        bus = BusFactory.newInstance().createBus();
        CXFNonSpringServlet servlet = new CXFNonSpringServlet();
        servlet.setBus(bus);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        ServletHolder holder = new ServletHolder(servlet);
        // as the distribution must configure it (etc/org.apache.cxf.osgi.cfg): otherwise CXF answers every path
        // ending in /services with its HTML service list instead of passing it to our endpoint
        holder.setInitParameter("hide-service-list-page", "true");
        context.addServlet(holder, "/api/*");
        jetty = new Server(new InetSocketAddress("127.0.0.1", 0));
        // graceful stop: let a response that the client already read finish its write before the port closes
        StatisticsHandler inFlight = new StatisticsHandler();
        inFlight.setHandler(context);
        jetty.setHandler(inFlight);
        jetty.setStopTimeout(2000);
        jetty.start();
        servers = RestServers.publish(bus, director, () -> user);
        int port = ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
        base = URI.create("http://127.0.0.1:" + port);
    }

    record Reply(int status, String contentType, String body, HttpResponse<String> raw) {
        JsonNode json() throws IOException {
            return new ObjectMapper().readTree(body);
        }
    }

    Reply send(String method, String path, String contentType, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                response.body(), response);
    }

    Reply get(String path) throws Exception {
        return send("GET", path, null, null);
    }

    Reply post(String path, String jsonBody) throws Exception {
        return send("POST", path, "application/json", jsonBody);
    }

    JsonNode parse(String body) throws IOException {
        return json.readTree(body);
    }

    @Override
    public void close() throws Exception {
        try {
            servers.close();
        } finally {
            try {
                jetty.stop();
            } finally {
                bus.shutdown(true);
            }
        }
    }
}
