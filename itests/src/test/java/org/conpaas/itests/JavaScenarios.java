package org.conpaas.itests;

import static org.conpaas.itests.DirectorTestSupport.eventually;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.conpaas.api.InvalidInputException;
import org.conpaas.api.State;
import org.conpaas.api.director.Director;
import org.conpaas.api.model.NodeInfo;
import org.conpaas.api.model.ServiceInfo;
import org.conpaas.api.model.UploadedFile;
import org.conpaas.itests.WebTraffic.Answer;
import org.conpaas.itests.WebTraffic.Browser;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;

/**
 * The Java service's scenario, run by {@link JavaIT} on the local cloud and by {@link LxcCloudIT} on the LXC cloud
 * (the cloud a parameter, {@link NodeView}): the welcome WAR, a WAR compiled by the test (a servlet and a JSP)
 * activated and served through the proxy, scaled to two backends that both serve it, PHP code and a WAR Tomcat cannot
 * start refused while the shop keeps being served.
 */
final class JavaScenarios {

    private static final String USER = "admin";
    private static final Duration SETTLE = Duration.ofSeconds(150);
    static final String WAR_PROPERTY = "conpaas.itest.war";
    static final String BROKEN_WAR_PROPERTY = "conpaas.itest.broken-war";

    private JavaScenarios() {
    }

    /** Runs outside the container: the WARs are compiled here and handed in by path. */
    static Option[] wars(Option[] boot) throws java.io.IOException {
        Path folder = Path.of(System.getProperty("conpaas.itest.dir", "target")).toAbsolutePath();
        return OptionUtils.combine(boot,
                systemProperty(WAR_PROPERTY).value(JavaItWar.shop(folder).toString()),
                systemProperty(BROKEN_WAR_PROPERTY).value(JavaItWar.broken(folder).toString()));
    }

    static void warServedAndScaled(Director director, NodeView nodes) throws Exception {
        eventually("the java type is installed", Duration.ofSeconds(60),
                () -> director.serviceTypes().stream().anyMatch(t -> t.name().equals("java")));
        String a = String.valueOf(director.createApplication(USER, "java-it").id());
        try {
            director.startApplication(USER, a);
            String s = String.valueOf(director.addService(USER, a, "java", "shop").id());

            director.startService(USER, a, s, nodes.cloud());
            ServiceInfo started = director.awaitSettled(USER, a, s, SETTLE);
            assertEquals(started.stateReason(), State.RUNNING, started.state());
            String url = started.url();
            assertNotNull("the service publishes its URL", url);
            NodeInfo first = director.nodes(USER, a, s).get(0);
            assertTrue("code-default is the welcome page",
                    new Browser().get(url).body().contains("Welcome to ConPaaS!"));

            Path war = Path.of(System.getProperty(WAR_PROPERTY));
            String version = director.uploadCode(USER, a, s, new UploadedFile("file", "shop.war", war), "shop").id();
            director.activateCode(USER, a, s, version);
            assertEquals(State.RUNNING, director.awaitSettled(USER, a, s, SETTLE).state());
            Browser browser = new Browser();
            assertEquals(new Answer(200, "hello static\n"), browser.get(url + "hello.txt"));
            assertEquals(new Answer(200, "shop served by " + first.vmId()), browser.get(url + "whoami"));
            assertEquals(new Answer(200, "jsp says 42"), browser.get(url + "hello.jsp"));

            director.addNodes(USER, a, s, Map.of("backend", 2), null);
            assertEquals(State.RUNNING, director.awaitSettled(USER, a, s, SETTLE).state());
            List<String> backends = director.nodes(USER, a, s).stream().filter(n -> n.role().equals("backend"))
                    .map(NodeInfo::vmId).toList();
            assertEquals(2, backends.size());
            Set<String> servedBy = new HashSet<>();
            for (int i = 0; i < 8; i++) {
                String body = new Browser().get(url + "whoami").body(); // no session: round robin
                assertTrue(body, body.startsWith("shop served by "));
                servedBy.add(body.substring("shop served by ".length()));
            }
            assertEquals("both backends serve, the packed node no longer does", Set.copyOf(backends), servedBy);
            assertEquals(new Answer(200, "jsp says 42"), browser.get(url + "hello.jsp"));

            String php = director.uploadCode(USER, a, s, new UploadedFile("file", "site.zip",
                    WebTraffic.zip(Map.of("index.php", "<?php echo 'php';\n"))), "php").id();
            try {
                director.activateCode(USER, a, s, php);
                fail("PHP code was activated on the Java service");
            } catch (InvalidInputException expected) {
                assertTrue(expected.getMessage(), expected.getMessage().contains("not a Java web archive (WAR"));
            }
            assertEquals(version, director.codeVersions(USER, a, s).stream().filter(v -> v.active())
                    .findFirst().orElseThrow().id());
            assertEquals(new Answer(200, "jsp says 42"), browser.get(url + "hello.jsp"));

            // a WAR that does not start on Tomcat: refused with Tomcat's message, the shop keeps being served
            String broken = director.uploadCode(USER, a, s, new UploadedFile("file", "broken.war",
                    Path.of(System.getProperty(BROKEN_WAR_PROPERTY))), "broken").id();
            director.activateCode(USER, a, s, broken);
            ServiceInfo afterBroken = director.awaitSettled(USER, a, s, SETTLE);
            assertEquals(State.RUNNING, afterBroken.state());
            assertTrue(afterBroken.stateReason(), afterBroken.stateReason().contains("no.such.Listener")
                    && afterBroken.stateReason().endsWith(version + " stays active"));
            assertEquals(version, director.codeVersions(USER, a, s).stream().filter(v -> v.active())
                    .findFirst().orElseThrow().id());
            for (int i = 0; i < 4; i++) {
                assertEquals(new Answer(200, "jsp says 42"), new Browser().get(url + "hello.jsp"));
            }

            director.stopService(USER, a, s);
            ServiceInfo stopped = director.awaitSettled(USER, a, s, SETTLE);
            assertEquals(State.STOPPED, stopped.state());
            assertNull("a stopped service has no URL", stopped.url());
        } finally {
            try {
                director.stopApplication(USER, a);
                director.deleteApplication(USER, a);
            } catch (RuntimeException cleanupFailure) {
                // the test's own failure is what matters; leftovers are killed with the container
            }
        }
    }
}
