package org.conpaas.service.java.agent;

import static org.conpaas.service.testing.LoopbackNodes.upstream;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.conpaas.service.testing.LoadClient;
import org.conpaas.service.testing.LoopbackNodes;
import org.conpaas.service.testing.LoopbackNodes.Answer;
import org.conpaas.service.testing.LoopbackNodes.Browser;
import org.conpaas.service.testing.SampleWars;
import org.conpaas.service.testing.WarBuilder;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The Java agent plug-in with the real nginx and the bundled Tomcat: node 1 is the proxy, node 2 the web node,
 * node 3 the backend, each on its own loopback address. The WARs are compiled here.
 */
public class JavaAgentPluginTest {

    static final int PROXY_PORT = 18080;

    private LoopbackNodes<JavaAgentPlugin> nodes;

    @Before
    public void createNodes() throws Exception {
        nodes = new LoopbackNodes<>("java", JavaAgentPlugin::new);
    }

    @After
    public void stopNodes() throws Exception {
        if (nodes != null) {
            nodes.close();
        }
    }

    /** SampleWars' servlet, JSP and static file, and an index.jsp for the root folder. */
    static WarBuilder app(String version) {
        return SampleWars.whoAmI(version).file("index.jsp", "<%@ page contentType=\"text/plain\" %>jsp index");
    }

    private Path war(WarBuilder builder, String name, String servletApiClass) throws Exception {
        return builder.build(nodes.base.resolve(name), WarBuilder.jarOf(servletApiClass));
    }

    @Test
    public void theProxySendsStaticFilesToTheWebNodeAndServletsAndJspsToTomcatAndACodeSwitchFailsNoRequest()
            throws Exception {
        JavaAgentPlugin proxy = nodes.node(1);
        JavaAgentPlugin web = nodes.node(2);
        JavaAgentPlugin backend = nodes.node(3);
        Path v1 = war(app("v1"), "v1.war", "jakarta.servlet.http.HttpServlet");
        for (JavaAgentPlugin node : List.of(web, backend)) {
            nodes.activateCode(node, "code-v1", v1);
        }
        backend.invoke("start_backend", Map.of("port", 9000, "proxies", List.of(nodes.address(1)), "heapMb", 128),
                Map.of());
        web.invoke("start_web", Map.of("port", 8080), Map.of());
        proxy.invoke("start_proxy", Map.of("port", PROXY_PORT,
                "web", List.of(upstream(nodes.address(2), 8080, 100)),
                "backends", List.of(upstream(nodes.address(3), 9000, 100))), Map.of());
        String url = "http://" + nodes.address(1) + ":" + PROXY_PORT;
        Browser browser = new Browser();

        assertEquals(new Answer(200, "hello static\n"), browser.get(url + "/hello.txt"));
        assertEquals(new Answer(200, "v1 served by node-3"), browser.get(url + "/whoami"));
        assertEquals(new Answer(200, "jsp says 42"), browser.get(url + "/hello.jsp"));
        assertEquals(new Answer(200, "jsp index"), browser.get(url + "/"));
        assertEquals(404, browser.get(url + "/WEB-INF/web.xml").status());
        assertEquals(404, browser.get(url + "/no-such-page").status());
        // the web node never shows a JSP's source, and Tomcat admits only the proxies
        assertEquals(404, browser.get("http://" + nodes.address(2) + ":8080/hello.jsp").status());
        assertEquals(403, browser.get("http://" + nodes.address(3) + ":9000/whoami").status());
        assertEquals(Boolean.TRUE, ((Map<?, ?>) backend.invoke("status", Map.of(), Map.of())).get("backend"));

        // a new version while a client keeps asking: every answer is v1 or v2, none fails, and v2 wins
        try (LoadClient client = new LoadClient(url + "/whoami",
                answer -> answer.status() == 200 && answer.body().matches("v[12] served by node-3"))) {
            client.awaitMore(5);
            Path v2 = war(app("v2"), "v2.war", "jakarta.servlet.http.HttpServlet");
            for (JavaAgentPlugin node : List.of(web, backend)) {
                nodes.activateCode(node, "code-v2", v2);
            }
            // the activation returns once Tomcat has deployed the new version: a new visitor gets it at once
            assertEquals(new Answer(200, "v2 served by node-3"), new Browser().get(url + "/whoami"));
            client.awaitMore(5);
            client.assertNoFailure();
        }

        backend.invoke("stop_backend", Map.of(), Map.of());
        assertFalse(backend.backendRunning());
    }

    @Test
    public void aJavaxWarIsConvertedAndAWarThatFailsToStartLeavesThePreviousVersionServing() throws Exception {
        JavaAgentPlugin backend = nodes.node(3);
        Path legacy = war(new WarBuilder()
                .source("legacy.Hello", """
                        package legacy;
                        import javax.servlet.http.*;
                        import java.io.IOException;
                        public class Hello extends HttpServlet {
                            @Override
                            protected void doGet(HttpServletRequest request, HttpServletResponse response)
                                    throws IOException {
                                response.getWriter().print("javax servlet on " + getServletContext().getServerInfo());
                            }
                        }
                        """)
                .file("WEB-INF/web.xml", """
                        <web-app xmlns="http://xmlns.jcp.org/xml/ns/javaee" version="4.0">
                          <servlet><servlet-name>hello</servlet-name><servlet-class>legacy.Hello</servlet-class></servlet>
                          <servlet-mapping><servlet-name>hello</servlet-name><url-pattern>/legacy</url-pattern></servlet-mapping>
                        </web-app>
                        """), "legacy.war", "javax.servlet.http.HttpServlet");
        nodes.activateCode(backend, "code-legacy", legacy);
        // no proxies listed: anyone may connect, so the test talks to Tomcat directly
        backend.invoke("start_backend", Map.of("port", 9000, "heapMb", 128), Map.of());
        String legacyUrl = "http://" + nodes.address(3) + ":9000/legacy";
        Answer answer = new Browser().get(legacyUrl);
        assertEquals(200, answer.status());
        assertTrue(answer.body(), answer.body().startsWith("javax servlet on Apache Tomcat/10.1"));

        Path broken = war(SampleWars.brokenListener(), "broken.war", "jakarta.servlet.http.HttpServlet");
        try {
            nodes.activateCode(backend, "code-broken", broken);
            fail("a WAR whose listener does not exist was deployed");
        } catch (IllegalStateException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("the application failed to start on Tomcat"));
            assertTrue(e.getMessage(), e.getMessage().contains("no.such.Listener"));
        }
        assertEquals(answer, new Browser().get(legacyUrl));
        assertEquals("the node keeps the version its Tomcat serves", "code-legacy",
                ((Map<?, ?>) backend.invoke("status", Map.of(), Map.of())).get("version"));
    }
}
