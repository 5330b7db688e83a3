package org.conpaas.service.testing;

/** The Java web applications the tests deploy, as {@link WarBuilder}s to build against the Jakarta servlet API. */
public final class SampleWars {

    private SampleWars() {
    }

    /**
     * A servlet {@code /whoami} answering "{@code <label> served by <node folder>}" (a node keeps its code in
     * {@code <work>/code/<version>/}; the local cloud's work folder is {@code <vmId>/work}; a machine of its own, e.g. an
     * LXC container, keeps it in {@code /var/lib/conpaas-node} and is named by its host name), a JSP
     * {@code /hello.jsp} answering "jsp says 42" and a static
     * {@code hello.txt}.
     */
    public static WarBuilder whoAmI(String label) {
        return new WarBuilder()
                .source("app.WhoAmI", """
                        package app;
                        import jakarta.servlet.annotation.WebServlet;
                        import jakarta.servlet.http.*;
                        import java.io.IOException;
                        import java.nio.file.Path;
                        @WebServlet("/whoami")
                        public class WhoAmI extends HttpServlet {
                            @Override
                            protected void doGet(HttpServletRequest request, HttpServletResponse response)
                                    throws IOException {
                                Path code = Path.of(getServletContext().getRealPath("/"));
                                Path node = code.getParent().getParent();
                                if (node.getFileName().toString().equals("work")) {
                                    node = node.getParent(); // the local cloud's <vmId>/work
                                }
                                String name = node.getFileName().toString();
                                if (name.equals("conpaas-node")) {
                                    // a machine of its own (/var/lib/conpaas-node): its host name names it
                                    name = java.net.InetAddress.getLocalHost().getHostName();
                                }
                                response.setContentType("text/plain");
                                response.getWriter().print("%s served by " + name);
                            }
                        }
                        """.formatted(label))
                .file("hello.jsp", "<%@ page contentType=\"text/plain\" %>jsp says <%= 6 * 7 %>")
                .file("hello.txt", "hello static\n")
                .file("WEB-INF/web.xml", "<web-app xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" version=\"6.0\"/>\n");
    }

    /** A WAR Tomcat cannot start: its listener class does not exist. */
    public static WarBuilder brokenListener() {
        return new WarBuilder().file("WEB-INF/web.xml", """
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
                  <listener><listener-class>no.such.Listener</listener-class></listener>
                </web-app>
                """);
    }
}
