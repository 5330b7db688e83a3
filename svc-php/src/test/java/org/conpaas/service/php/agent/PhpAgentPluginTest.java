package org.conpaas.service.php.agent;

import static org.conpaas.service.php.agent.PhpNodes.PROXY_PORT;
import static org.conpaas.service.testing.LoopbackNodes.upstream;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.conpaas.service.php.PhpConfiguration;
import org.conpaas.service.testing.LoadClient;
import org.conpaas.service.testing.LoopbackNodes;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The PHP agent plug-in with the real nginx, php-fpm and memcached: node 1 is the proxy and session store, node 2 the
 * web node, nodes 3 and 4 backends, each on its own loopback address.
 */
public class PhpAgentPluginTest {

    private LoopbackNodes<PhpAgentPlugin> nodes;
    private PhpAgentPlugin proxy;
    private PhpAgentPlugin web;
    private PhpAgentPlugin backend1;
    private PhpAgentPlugin backend2;
    private Path code;
    private String url;

    @Before
    public void startNodes() throws Exception {
        nodes = PhpNodes.start();
        proxy = nodes.node(1);
        web = nodes.node(2);
        backend1 = nodes.node(3);
        backend2 = nodes.node(4);
        code = nodes.zip(PhpNodes.APP);
        url = "http://" + nodes.address(1) + ":" + PROXY_PORT;

        proxy.invoke("start_session_store", Map.of("port", 11211), Map.of());
        for (PhpAgentPlugin node : List.of(web, backend1)) {
            nodes.activateCode(node, "code-aaaaaa", code);
        }
        startBackend(backend1, PhpConfiguration.defaults());
        web.invoke("start_web", Map.of("port", 8080), Map.of());
        Object answer = proxy.invoke("start_proxy", proxyParams(List.of(3)), Map.of());
        assertEquals(Map.of("port", PROXY_PORT), answer);
    }

    @After
    public void stopNodes() throws Exception {
        if (nodes != null) {
            nodes.close();
        }
    }

    private void startBackend(PhpAgentPlugin backend, Map<String, String> phpconf) throws Exception {
        backend.invoke("start_backend", Map.of("port", 9000,
                "sessions", List.of(upstream(nodes.address(1), 11211, 100)),
                "proxies", List.of(nodes.address(1)), "phpconf", new HashMap<>(phpconf)), Map.of());
    }

    private Map<String, Object> proxyParams(List<Integer> backends) {
        List<Map<String, Object>> upstreams = new ArrayList<>();
        backends.forEach(n -> upstreams.add(upstream(nodes.address(n), 9000, 100)));
        return Map.of("port", PROXY_PORT, "web", List.of(upstream(nodes.address(2), 8080, 100)),
                "backends", upstreams);
    }

    @Test
    public void theProxySendsStaticFilesToWebNodesAndScriptsToBackends() throws Exception {
        LoopbackNodes.Browser browser = new LoopbackNodes.Browser();
        assertEquals(new LoopbackNodes.Answer(200, "hello static\n"), browser.get(url + "/hello.txt"));
        assertEquals(new LoopbackNodes.Answer(200, "served by node-3"), browser.get(url + "/backend.php"));
        assertEquals("a folder with index.html gets it from the web node",
                new LoopbackNodes.Answer(200, "static index\n"), browser.get(url + "/docs/"));
        assertEquals("a folder without a static index runs its index.php",
                new LoopbackNodes.Answer(200, "php index"), browser.get(url + "/"));
        assertEquals(404, browser.get(url + "/missing.php").status());
        assertEquals(404, browser.get(url + "/missing.txt").status());

        LoopbackNodes.Answer source = browser.get("http://" + nodes.address(2) + ":8080/backend.php");
        assertEquals("the web node never shows a script's source", 404, source.status());
        assertFalse(source.body().contains("<?php"));
        assertEquals(Map.of("proxy", true, "web", false, "backend", false, "version", "", "proxyPort", PROXY_PORT,
                "sessionStore", true), proxy.invoke("status", Map.of(), Map.of()));
    }

    @Test
    public void aServerThatDiesIsTheNodesProblemUntilStartedAgain() throws Exception {
        assertEquals(java.util.Optional.empty(), backend1.problem());
        assertEquals(java.util.Optional.empty(), proxy.problem());
        // the only php-fpm of this test runs on the backend node (the proxy node runs nginx and memcached)
        ProcessHandle fpm = ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().orElse("").contains("php-fpm")
                        && p.parent().map(parent -> !parent.info().commandLine().orElse("").contains("php-fpm"))
                                .orElse(true))
                .findFirst().orElseThrow(() -> new AssertionError("no php-fpm master among this test's processes"));
        fpm.destroyForcibly();
        fpm.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
        String problem = backend1.problem().orElseThrow(() -> new AssertionError("the backend reports no problem"));
        assertTrue(problem, problem.startsWith("php-fpm is not running (it exited)"));
        assertEquals("the proxy node is well", java.util.Optional.empty(), proxy.problem());

        startBackend(backend1, PhpConfiguration.defaults());
        assertEquals("well again once started", java.util.Optional.empty(), backend1.problem());
        backend1.invoke("stop_backend", Map.of(), Map.of());
        assertEquals("a stopped server is no problem", java.util.Optional.empty(), backend1.problem());
    }

    @Test
    public void sessionsContinueAcrossBackendsAndRemovingOneFailsNoRequest() throws Exception {
        LoopbackNodes.Browser browser = new LoopbackNodes.Browser();
        assertEquals("count 1 by node-3", browser.get(url + "/counter.php").body());

        nodes.activateCode(backend2, "code-aaaaaa", code);
        startBackend(backend2, PhpConfiguration.defaults());
        proxy.invoke("start_proxy", proxyParams(List.of(3, 4)), Map.of());

        // nginx reloads asynchronously: until its master has started the new workers, the old ones (upstream list without
        // node-4) take connections, on a loaded machine for a few requests. Both backends must serve within a bounded
        // number of requests, and no count is lost.
        Set<String> servedBy = new LinkedHashSet<>();
        int count = 1;
        while (servedBy.size() < 2 && count < 40) {
            count++;
            String body = browser.get(url + "/counter.php").body();
            assertTrue(body, body.startsWith("count " + count + " by "));
            servedBy.add(body.substring(body.indexOf(" by ") + 4));
        }
        assertEquals("round robin over both backends", Set.of("node-3", "node-4"), servedBy);

        try (LoadClient client = new LoadClient(url + "/backend.php")) {
            proxy.invoke("start_proxy", proxyParams(List.of(3)), Map.of());
            backend2.invoke("stop_backend", Map.of(), Map.of());
            client.awaitMore(20);
            client.assertNoFailure();
        }
        assertEquals("count " + (count + 1) + " by node-3", browser.get(url + "/counter.php").body());
        assertFalse((Boolean) ((Map<?, ?>) backend2.invoke("status", Map.of(), Map.of())).get("backend"));
    }

    @Test
    public void reloadsAndCodeActivationFailNoRequest() throws Exception {
        Map<String, String> app2 = new HashMap<>(PhpNodes.APP);
        app2.put("hello.txt", "hello again\n");
        app2.put("backend.php", "<?php echo 'v2 by ' . basename(dirname(__DIR__, 2));\n");
        Path code2 = nodes.zip(app2);
        try (LoadClient client = new LoadClient(url + "/backend.php")) {
            for (int weight : new int[] {50, 200, 100}) {
                proxy.invoke("start_proxy", Map.of("port", PROXY_PORT,
                        "web", List.of(upstream(nodes.address(2), 8080, weight)),
                        "backends", List.of(upstream(nodes.address(3), 9000, weight))), Map.of());
                client.awaitMore(10);
            }
            nodes.activateCode(backend1, "code-bbbbbb", code2);
            nodes.activateCode(web, "code-bbbbbb", code2);
            client.awaitMore(10);
            client.assertNoFailure();
        }
        LoopbackNodes.Browser browser = new LoopbackNodes.Browser();
        assertEquals("v2 by node-3", browser.get(url + "/backend.php").body());
        assertEquals("hello again\n", browser.get(url + "/hello.txt").body());
        assertEquals("code-bbbbbb", ((Map<?, ?>) web.invoke("status", Map.of(), Map.of())).get("version"));
    }

    @Test
    public void anUpdatedPluginTakesOverTheRunningServersAndSessions() throws Exception {
        LoopbackNodes.Browser browser = new LoopbackNodes.Browser();
        assertEquals("count 1 by node-3", browser.get(url + "/counter.php").body());
        PhpAgentPlugin newProxy = nodes.replacement(1);
        PhpAgentPlugin newBackend = nodes.replacement(3);
        try (LoadClient client = new LoadClient(url + "/backend.php")) {
            newProxy.invoke("start_session_store", Map.of("port", 11211), Map.of());
            newBackend.invoke("start_backend", Map.of("port", 9000,
                    "sessions", List.of(upstream(nodes.address(1), 11211, 100)),
                    "proxies", List.of(nodes.address(1)), "phpconf", new HashMap<>(PhpConfiguration.defaults())),
                    Map.of());
            newProxy.invoke("start_proxy", proxyParams(List.of(3)), Map.of());
            client.awaitMore(10);
            client.assertNoFailure();
        }
        assertEquals("count 2 by node-3", browser.get(url + "/counter.php").body());
        assertEquals(PROXY_PORT, ((Map<?, ?>) newProxy.invoke("status", Map.of(), Map.of())).get("proxyPort"));
    }

    @Test
    public void displayErrorsShowsPhpErrorsOnlyWhenOn() throws Exception {
        LoopbackNodes.Browser browser = new LoopbackNodes.Browser();
        LoopbackNodes.Answer hidden = browser.get(url + "/broken.php");
        assertEquals(500, hidden.status());
        assertFalse(hidden.body(), hidden.body().contains("undefined_function_xyz"));

        Map<String, String> debug = PhpConfiguration.defaults();
        debug.put("display_errors", "On");
        startBackend(backend1, debug);
        LoopbackNodes.Answer shown = browser.get(url + "/broken.php");
        assertTrue(shown.body(), shown.body().contains("undefined_function_xyz"));
    }

    @Test
    public void aConfigurationNginxRefusesChangesNothing() throws Exception {
        try {
            proxy.invoke("start_proxy", Map.of("port", PROXY_PORT, "web", List.of(), "backends", List.of()), Map.of());
            fail("a proxy without web nodes was accepted");
        } catch (IllegalArgumentException expected) {
            assertEquals("the proxy needs at least one web node and one backend", expected.getMessage());
        }
        try {
            proxy.invoke("start_proxy", Map.of("port", PROXY_PORT, "maxBodySize", "8m; evil",
                    "web", List.of(upstream(nodes.address(2), 8080, 100)),
                    "backends", List.of(upstream(nodes.address(3), 9000, 100))), Map.of());
            fail("a malformed body size was accepted");
        } catch (IllegalArgumentException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains("maxBodySize"));
        }
        assertEquals(200, new LoopbackNodes.Browser().get(url + "/hello.txt").status());
    }
}
