package org.conpaas.itests;

import java.io.IOException;
import java.nio.file.Path;
import org.conpaas.service.testing.WarBuilder;

/**
 * JavaIT's WARs, compiled outside the container (kept out of JavaIT so the test class inside the container never
 * refers to the compiler): the shop (a servlet naming the node that runs it, a JSP, a static file) and a broken one.
 */
final class JavaItWar {

    private JavaItWar() {
    }

    static Path shop(Path folder) throws IOException {
        return new WarBuilder()
                .source("shop.WhoAmI", """
                        package shop;
                        import jakarta.servlet.annotation.WebServlet;
                        import jakarta.servlet.http.*;
                        import java.io.IOException;
                        import java.nio.file.Path;
                        @WebServlet("/whoami")
                        public class WhoAmI extends HttpServlet {
                            @Override
                            protected void doGet(HttpServletRequest request, HttpServletResponse response)
                                    throws IOException {
                                // the code lives in <node>/web/code/<version>/
                                Path code = Path.of(getServletContext().getRealPath("/"));
                                response.setContentType("text/plain");
                                response.getWriter().print("served by "
                                        + code.getParent().getParent().getParent().getFileName());
                            }
                        }
                        """)
                .file("hello.jsp", "<%@ page contentType=\"text/plain\" %>jsp says <%= 6 * 7 %>")
                .file("hello.txt", "hello static\n")
                .file("WEB-INF/web.xml", "<web-app xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" version=\"6.0\"/>\n")
                .build(folder.resolve("java-it-shop.war"), servletApi());
    }

    /** A WAR Tomcat cannot start: its listener class does not exist. */
    static Path broken(Path folder) throws IOException {
        return new WarBuilder().file("WEB-INF/web.xml", """
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
                  <listener><listener-class>no.such.Listener</listener-class></listener>
                </web-app>
                """).build(folder.resolve("java-it-broken.war"), servletApi());
    }

    private static Path servletApi() {
        return WarBuilder.jarOf("jakarta.servlet.http.HttpServlet");
    }
}
