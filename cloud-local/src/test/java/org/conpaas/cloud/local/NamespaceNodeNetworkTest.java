package org.conpaas.cloud.local;

import org.conpaas.service.support.host.Mounts;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.conpaas.api.CloudException;
import org.conpaas.api.cloud.CloudNode;
import org.conpaas.api.cloud.CloudNodeState;
import org.conpaas.api.cloud.LaunchListener;
import org.conpaas.api.cloud.LaunchRequest;
import org.conpaas.api.cloud.NodeLaunch;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.ExternalResource;
import org.junit.rules.TemporaryFolder;

/**
 * The namespace mode of the local cloud on real namespaces (root, as CI runs it; fails, never skips, without): a node
 * is reachable at its bridge address, has no default route, reaches the director's loopback HTTPS port only through
 * the relay, and nothing is left after terminate and stop, nor after a crash at the next start.
 */
public class NamespaceNodeNetworkTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private final NamespaceTestNetwork network = new NamespaceTestNetwork();
    private final List<LocalCloudDriver> drivers = new ArrayList<>();
    private HttpServer director;

    @Rule
    public ExternalResource nothingLeft = new ExternalResource() {
        @Override
        protected void after() {
            network.assertNothingLeftAfter(() -> drivers.forEach(LocalCloudDriver::close));
        }
    };

    @After
    public void stopDirector() {
        if (director != null) {
            director.stop(0);
        }
    }

    @Test
    public void aNodeIsReachableOnItsBridgeAddressAndReachesTheDirectorOnlyThroughTheRelay() throws Exception {
        director = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 10);
        director.createContext("/", exchange -> {
            byte[] body = "from-the-director".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        director.start();
        int directorPort = director.getAddress().getPort();
        LocalCloudSettings.Namespaces namespaces = network.main();
        LocalCloudDriver driver = driver(namespaces, temp.newFolder("data").toPath());
        // The boot script names the director's loopback URL as the real one does; curl with -q ignores the
        // driver's .curlrc and so tries the namespace's own loopback.
        String script = "#!/bin/sh\n# the agent comes from https://127.0.0.1:" + directorPort + "/agent\n"
                + "curl -s --max-time 10 http://127.0.0.1:" + directorPort + "/ > relayed.tmp 2>&1; mv relayed.tmp relayed\n"
                + "curl -q -s --max-time 3 http://127.0.0.1:" + directorPort + "/ > direct 2>&1; echo \" status $?\" >> direct\n"
                + "ip route > routes\n"
                + "mkdir -p served && echo node-page > served/index.html && cd served\n"
                + "exec python3 -m http.server --bind \"$CONPAAS_AGENT_ADDRESS\" \"$CONPAAS_AGENT_PORT\"\n";
        CloudNode node = driver.launch(new LaunchRequest("test", List.of(new NodeLaunch("node-1", "ns-node-1",
                "node", script)), LaunchListener.NONE)).get(0);
        assertEquals(node.toString(), CloudNodeState.RUNNING, node.state());
        assertTrue("an address of the bridge's subnet: " + node.address(),
                namespaces.subnet().contains(PrivateSubnet.parseAddress(node.address())));
        NetworkNamespaces host = new NetworkNamespaces(namespaces.bridge(), namespaces.subnet());
        assertEquals(List.of(node.vmId()), host.vmIds());
        Path work = temp.getRoot().toPath().resolve("data/nodes/" + node.vmId() + "/work");

        String page = await("the node's server on " + node.address(), () -> get("http://" + node.address() + ":"
                + node.agentPort() + "/"));
        assertEquals("node-page\n", page);
        assertEquals("from-the-director", Files.readString(work.resolve("relayed")));
        String direct = Files.readString(work.resolve("direct"));
        assertFalse("the host's loopback is not the node's: " + direct, direct.contains("from-the-director"));
        String routes = Files.readString(work.resolve("routes"));
        assertFalse("no default route: " + routes, routes.contains("default"));
        assertTrue(routes, routes.contains(namespaces.subnet().toString()));

        driver.terminate(List.of(node.vmId()));
        assertEquals("the namespace went with the node", List.of(), host.vmIds());
        assertFalse(Files.exists(Path.of("/sys/class/net", NetworkNamespaces.hostVeth(node.vmId()))));
        assertTrue("the bridge stays while the driver runs", host.bridgeExists());
        driver.close();
        assertFalse("the bridge went with the driver", host.bridgeExists());
    }

    @Test
    public void whatACrashLeftIsRemovedAtTheNextStartAndOthersNamespacesAreLeftAlone() throws Exception {
        LocalCloudSettings.Namespaces namespaces = network.main();
        String leftover = namespaces.bridge() + "-local-0badc0de";
        String foreign = namespaces.bridge() + "x-local-0badc0de";
        try {
            assertNull(Mounts.run("ip", "netns", "add", leftover));
            assertNull(Mounts.run("ip", "netns", "add", foreign));
            driver(namespaces, temp.newFolder("data").toPath());
            assertFalse("the vanished node's namespace is gone", Files.exists(Path.of("/run/netns", leftover)));
            assertTrue("another cloud's namespace stays", Files.exists(Path.of("/run/netns", foreign)));
        } finally {
            Mounts.run("ip", "netns", "del", foreign);
            Mounts.run("ip", "netns", "del", leftover);
        }
    }

    @Test
    public void withoutRootTheCloudIsUnavailableWithTheReason() throws Exception {
        LocalCloudSettings.Namespaces namespaces = network.main();
        LocalCloudDriver driver = new LocalCloudDriver(settings(namespaces, temp.newFolder("data").toPath()), false);
        drivers.add(driver);
        assertEquals("cloud ns runs its nodes in network namespaces (network = namespace), which needs the director "
                + "to run as root", driver.unavailableReason());
        try {
            driver.launch(new LaunchRequest("test", List.of(new NodeLaunch("node-1", "n", "node", "#!/bin/sh\n")),
                    LaunchListener.NONE));
            fail("launched without root");
        } catch (CloudException e) {
            assertEquals(driver.unavailableReason(), e.getMessage());
        }
        assertFalse("nothing was made", new NetworkNamespaces(namespaces.bridge(), namespaces.subnet()).bridgeExists());
    }

    private static void assertNull(String error) {
        assertEquals(null, error);
    }

    private LocalCloudDriver driver(LocalCloudSettings.Namespaces namespaces, Path dataDir) throws IOException {
        LocalCloudDriver driver = new LocalCloudDriver(settings(namespaces, dataDir), true);
        drivers.add(driver);
        assertEquals(null, driver.unavailableReason());
        return driver;
    }

    private static LocalCloudSettings settings(LocalCloudSettings.Namespaces namespaces, Path dataDir)
            throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = free.getLocalPort();
        }
        return LocalCloudSettings.inNamespaces("ns", namespaces, port, dataDir,
                Path.of(System.getProperty("java.home")), "", NodeAccounts.UidRange.parse("2001000000-2001999999"));
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()
                .send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200 ? response.body() : null;
    }

    private interface Attempt {
        String get() throws Exception;
    }

    private static String await(String what, Attempt attempt) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                String value = attempt.get();
                if (value != null) {
                    return value;
                }
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(what + " did not answer within " + WAIT.toSeconds() + " s: " + last);
    }
}
