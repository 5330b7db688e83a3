package org.conpaas.itests;

import static org.conpaas.itests.DirectorTestSupport.eventually;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.conpaas.api.InvalidInputException;
import org.conpaas.api.State;
import org.conpaas.api.UnsupportedArchiveException;
import org.conpaas.api.director.Director;
import org.conpaas.api.model.CodeVersionInfo;
import org.conpaas.api.model.NodeInfo;
import org.conpaas.api.model.ServiceInfo;
import org.conpaas.api.model.UploadedFile;
import org.conpaas.itests.WebTraffic.Answer;
import org.conpaas.itests.WebTraffic.Browser;
import org.conpaas.itests.WebTraffic.Client;

/**
 * The PHP service's scenario, run by {@link PhpIT} on the local cloud and by {@link LxcCloudIT} on the LXC cloud (the
 * cloud a parameter, {@link NodeView}): the welcome page, an uploaded application activated and served through the
 * proxy, backends added (the first one moves the backend off the packed node) with the session counter continuing
 * across them, a backend removed while a client loops without a failed request, debug mode, and the requests that
 * must be refused with a clear error while nothing changes (a WAR, an upload that is no archive, unknown PHP
 * settings, removing the last proxy).
 */
final class PhpScenarios {

    private static final String USER = "admin";
    private static final Duration SETTLE = Duration.ofSeconds(120);

    private PhpScenarios() {
    }

    static void servedAndScaled(Director director, NodeView nodes) throws Exception {
        eventually("the php type is installed", Duration.ofSeconds(60),
                () -> director.serviceTypes().stream().anyMatch(t -> t.name().equals("php")));
        long app = director.createApplication(USER, "php-it").id();
        String a = String.valueOf(app);
        try {
            director.startApplication(USER, a);
            String s = String.valueOf(director.addService(USER, a, "php", "site").id());

            director.startService(USER, a, s, nodes.cloud());
            ServiceInfo started = director.awaitSettled(USER, a, s, SETTLE);
            assertEquals(started.stateReason(), State.RUNNING, started.state());
            String url = started.url();
            assertNotNull("the service publishes its URL", url);
            NodeInfo first = director.nodes(USER, a, s).get(0);
            assertTrue(url, url.startsWith("http://" + first.address() + ":"));
            Browser browser = new Browser();
            assertTrue("code-default is the welcome page", browser.get(url).body().contains("Welcome to ConPaaS!"));

            String version = director.uploadCode(USER, a, s, new UploadedFile("file", "app.zip", app(nodes.phpNodeName())), "app").id();
            assertTrue("uploading changes nothing served", browser.get(url).body().contains("Welcome"));
            director.activateCode(USER, a, s, version);
            assertEquals(State.RUNNING, director.awaitSettled(USER, a, s, SETTLE).state());
            assertEquals(new Answer(200, "hello static\n"), browser.get(url + "hello.txt"));
            assertEquals("served by " + first.vmId(), browser.get(url + "backend.php").body());
            assertEquals("count 1 by " + first.vmId(), browser.get(url + "counter.php").body());
            nodes.checkWebNode(first, url);

            director.addNodes(USER, a, s, Map.of("backend", 1), null);
            assertEquals(State.RUNNING, director.awaitSettled(USER, a, s, SETTLE).state());
            NodeInfo backend1 = node(director, a, s, "backend", 0);
            String counted = browser.get(url + "counter.php").body();
            assertEquals("the first backend moved the backend off the packed node; the servers' logs: "
                    + (counted.startsWith("count") ? "" : serverLogs(director, a, s)),
                    "count 2 by " + backend1.vmId(), counted);

            director.addNodes(USER, a, s, Map.of("backend", 1, "web", 1), null);
            assertEquals(State.RUNNING, director.awaitSettled(USER, a, s, SETTLE).state());
            NodeInfo backend2 = node(director, a, s, "backend", 1);
            NodeInfo web = node(director, a, s, "web", 0);
            assertEquals(Map.of("proxy", List.of(first.id()), "web", List.of(web.id()),
                    "backend", List.of(backend1.id(), backend2.id())),
                    director.invoke(USER, a, s, "list_nodes", Map.of(), Map.of()));
            Set<String> servedBy = new LinkedHashSet<>();
            for (int i = 3; i <= 10; i++) {
                String body = browser.get(url + "counter.php").body();
                assertTrue(body, body.startsWith("count " + i + " by "));
                servedBy.add(body.substring(body.indexOf(" by ") + 4));
            }
            assertEquals(Set.of(backend1.vmId(), backend2.vmId()), servedBy);
            assertEquals("static files come from the web node", "hello static\n",
                    browser.get(url + "hello.txt").body());

            try (Client client = new Client(url + "backend.php")) {
                client.awaitMore(10);
                director.removeNodes(USER, a, s, Map.of("backend", 1));
                assertEquals(State.RUNNING, director.awaitSettled(USER, a, s, SETTLE).state());
                client.awaitMore(10);
                client.assertNoFailure();
            }
            assertEquals("count 11 by " + backend1.vmId(), browser.get(url + "counter.php").body());
            // the proxy counts what it served, and the director samples it: at least the 30-odd requests made so far
            DirectorTestSupport.awaitNodeMetric("conpaas_node_requests_total", first.id(), 30, Duration.ofSeconds(40));

            assertFalse(browser.get(url + "broken.php").body().contains("undefined_function_xyz"));
            director.invoke(USER, a, s, "update_php_configuration",
                    Map.of("phpconf", Map.of("display_errors", "On")), Map.of());
            assertTrue(browser.get(url + "broken.php").body().contains("undefined_function_xyz"));

            assertEquals(version, director.codeVersions(USER, a, s).stream().filter(v -> v.active())
                    .findFirst().orElseThrow().id());
            refusalsChangeNothing(director, a, s, url, browser);

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

    /**
     * The requests the issue wants refused with a clear error and nothing changed, on the running service of the
     * flow (one proxy, one web node, one backend, display_errors On): a WAR, an upload that is no archive, unknown
     * PHP settings, removing the last proxy.
     */
    private static void refusalsChangeNothing(Director director, String a, String s, String url, Browser browser)
            throws Exception {
        String war = director.uploadCode(USER, a, s, new UploadedFile("file", "app.war", war()), "war").id();
        Snapshot before = snapshot(director, a, s, url, browser);
        assertTrue(before.toString(), before.brokenPage().body().contains("undefined_function_xyz"));

        InvalidInputException refused = assertThrows(InvalidInputException.class,
                () -> director.activateCode(USER, a, s, war));
        assertTrue(refused.getMessage(), refused.getMessage().contains("Java web archive (WAR)"));
        assertEquals("a refused WAR changes nothing", before, snapshot(director, a, s, url, browser));

        Path text = Files.createTempFile("php-it", ".zip");
        text.toFile().deleteOnExit();
        Files.writeString(text, "just some notes, no archive\n");
        UnsupportedArchiveException notArchive = assertThrows(UnsupportedArchiveException.class,
                () -> director.uploadCode(USER, a, s, new UploadedFile("file", "notes.zip", text), "notes"));
        assertEquals("unsupported archive: the file is not a tar, tar.gz, tar.bz2 or zip archive",
                notArchive.getMessage());
        assertEquals("a refused upload stores no version", before, snapshot(director, a, s, url, browser));

        refused = assertThrows(InvalidInputException.class, () -> director.invoke(USER, a, s,
                "update_php_configuration", Map.of("phpconf", Map.of("display_errors", "Off", "colour", "blue")),
                Map.of()));
        assertEquals("phpconf", refused.parameter());
        assertTrue(refused.getMessage(), refused.getMessage().startsWith("unknown phpconf setting colour; the "
                + "settings are "));
        assertEquals("the valid setting sent along is not applied either", before, snapshot(director, a, s, url, browser));

        refused = assertThrows(InvalidInputException.class,
                () -> director.removeNodes(USER, a, s, Map.of("proxy", 1)));
        assertEquals("Not enough 'proxy' nodes will be left", refused.getMessage());
        assertEquals("the last proxy stays", before, snapshot(director, a, s, url, browser));
    }

    /** What users and the owner see of the service; equal snapshots mean a request changed nothing. */
    private record Snapshot(State state, String url, List<NodeInfo> nodes, List<CodeVersionInfo> versions,
            Object configuration, Answer staticFile, Answer phpPage, Answer brokenPage) {
    }

    private static Snapshot snapshot(Director director, String a, String s, String url, Browser browser)
            throws Exception {
        ServiceInfo service = director.service(USER, a, s);
        return new Snapshot(service.state(), service.url(), director.nodes(USER, a, s),
                director.codeVersions(USER, a, s), director.invoke(USER, a, s, "get_configuration", Map.of(), Map.of()),
                browser.get(url + "hello.txt"), browser.get(url + "backend.php"), browser.get(url + "broken.php"));
    }

    private static NodeInfo node(Director director, String app, String svc, String role, int index) {
        return director.nodes(USER, app, svc).stream().filter(n -> n.role().equals(role)).toList().get(index);
    }

    /**
     * The app: a static file, a page naming the node that ran it ({@code nodeName}: PHP that yields the node's
     * machine id on the cloud under test), a session counter, a PHP error.
     */
    private static Path app(String nodeName) throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("hello.txt", "hello static\n");
        files.put("backend.php", "<?php echo 'served by ' . " + nodeName + ";\n");
        files.put("counter.php", "<?php session_start(); $_SESSION['n'] = ($_SESSION['n'] ?? 0) + 1;\n"
                + "echo 'count ' . $_SESSION['n'] . ' by ' . " + nodeName + ";\n");
        files.put("broken.php", "<?php echo 'before'; undefined_function_xyz();\n");
        return WebTraffic.zip(files);
    }

    private static Path war() throws IOException {
        return WebTraffic.zip(Map.of("WEB-INF/web.xml", "<web-app/>\n", "index.jsp", "<%= 1 %>\n"));
    }

    /** The ends of the nodes' server logs, to tell why a request failed. */
    private static String serverLogs(Director director, String a, String s) {
        StringBuilder logs = new StringBuilder();
        for (NodeInfo node : director.nodes(USER, a, s)) {
            for (String file : List.of("nginx-proxy-error.log", "php-fpm-error.log")) {
                try {
                    logs.append("\n--- ").append(node.id()).append(' ').append(file).append(":\n")
                            .append(director.nodeLog(USER, a, s, node.id(), file, 15));
                } catch (RuntimeException e) {
                    logs.append(" (none: ").append(e.getMessage()).append(')');
                }
            }
        }
        return logs.toString();
    }
}
