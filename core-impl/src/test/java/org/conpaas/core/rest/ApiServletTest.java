package org.conpaas.core.rest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.apache.cxf.Bus;
import org.apache.cxf.BusFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.junit.Test;

/**
 * Pax Web destroys and inits the API's servlet at each Jetty restart (a first start applies the HTTPS settings so);
 * the endpoints published on the director's bus must be served again afterwards, the bus left running.
 */
public class ApiServletTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    public void servesTheBussEndpointsAgainAfterJettyRestarts() throws Exception {
        Bus bus = BusFactory.newInstance().createBus();
        org.apache.cxf.endpoint.Server fallback = ApiFallback.publish(bus, () -> false);
        Server jetty = new Server();
        try {
            ServerConnector connector = new ServerConnector(jetty);
            connector.setHost("127.0.0.1");
            jetty.addConnector(connector);
            ServletContextHandler context = new ServletContextHandler();
            context.addServlet(new ServletHolder(ApiServlet.servlet(bus)), ApiServlet.PATTERN);
            jetty.setHandler(context);
            for (int start = 1; start <= 3; start++) {
                jetty.start();
                HttpResponse<String> reply = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/api/v1/version")).build(),
                        HttpResponse.BodyHandlers.ofString());
                // the fallback endpoint's answer while the API is not published: served by CXF, not Jetty's 404
                assertEquals("start " + start + ": " + reply.body(), 503, reply.statusCode());
                jetty.stop();
                assertNotEquals("start " + start, Bus.BusState.SHUTDOWN, bus.getState());
            }
        } finally {
            jetty.stop();
            fallback.destroy();
            bus.shutdown(true);
        }
    }
}
