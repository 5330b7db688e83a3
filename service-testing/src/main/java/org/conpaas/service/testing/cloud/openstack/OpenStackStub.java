package org.conpaas.service.testing.cloud.openstack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.conpaas.service.testing.cloud.MachineHypervisor;

/**
 * A small stateful OpenStack for tests, in the test's JVM on 127.0.0.1: Keystone v3 (password auth scoped to a
 * project, a token and a catalog) and v2.0, Nova (flavors, servers with metadata and user data, volume attachments, an
 * instances quota), Neutron (networks, ports, floating IPs), Glance v2 (images by name) and Cinder v3 (volumes).
 * It answers the JSON shapes of the OpenStack API reference, as openstack4j's own fixtures hold them, for the calls
 * the ConPaaS driver makes, and nothing else.
 *
 * <p>Servers get fixed addresses from 127.11.0.0/17 (floating ones from 127.11.200.0/24), are BUILD for
 * {@code activeDelay} and then ACTIVE. With a {@link MachineHypervisor} each server's user data runs as the machine
 * would run it, on its fixed address, from creation until the server is deleted. With a {@code disks} folder each
 * volume is a sparse image file there, and the device Nova names on attach is that file (what the machine, a process
 * on this host, can mount); without, devices are {@code /dev/vdb}, {@code /dev/vdc}...
 *
 * <p>{@code GET /stub/state} (no token) answers what exists (servers, volumes, floating addresses, machines still
 * running), for a test that runs elsewhere (in the container) to check that nothing was left behind.
 */
public final class OpenStackStub implements AutoCloseable {

    /** The account the stub accepts (Keystone v3 password method, names with domains). */
    public record Account(String user, String password, String userDomain, String project, String projectDomain) {
    }

    public static final Account DEFAULT_ACCOUNT = new Account("conpaas", "s3cret-Pa55", "Default", "conpaas",
            "Default");
    public static final String REGION = "RegionOne";

    final Account account;
    final StubState state = new StubState();
    final MachineHypervisor hypervisor;
    final Duration activeDelay;
    final Path disks;
    private volatile int maxServers = 20;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "openstack-stub");
        t.setDaemon(true);
        return t;
    });

    /**
     * Starts the stub on a free port of 127.0.0.1.
     *
     * @param hypervisor runs each server's user data; null: servers run nothing
     */
    public OpenStackStub(Account account, MachineHypervisor hypervisor, Duration activeDelay) throws IOException {
        this(account, hypervisor, activeDelay, null);
    }

    /**
     * Starts the stub on a free port of 127.0.0.1.
     *
     * @param hypervisor runs each server's user data; null: servers run nothing
     * @param disks where volumes are image files that machines can mount; null: no files, {@code /dev/vdX} devices
     */
    public OpenStackStub(Account account, MachineHypervisor hypervisor, Duration activeDelay, Path disks)
            throws IOException {
        this.account = account;
        this.hypervisor = hypervisor;
        this.activeDelay = activeDelay;
        this.disks = disks;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        Keystone keystone = new Keystone(this);
        Compute compute = new Compute(this);
        Network network = new Network(this);
        ImageAndVolume imageAndVolume = new ImageAndVolume(this);
        server.createContext("/identity/v3", e -> serve(e, "/identity/v3", false, keystone::handle));
        server.createContext("/identity/v2.0", e -> serve(e, "/identity/v2.0", false, keystone::handleV2));
        server.createContext("/compute/v2.1", e -> serve(e, "/compute/v2.1", true, compute::handle));
        server.createContext("/network", e -> serve(e, "/network", true, network::handle));
        server.createContext("/image", e -> serve(e, "/image", true, imageAndVolume::image));
        server.createContext("/volume/v3/" + StubState.PROJECT_ID, e -> serve(e, "/volume/v3/"
                + StubState.PROJECT_ID, true, imageAndVolume::volume));
        server.createContext("/stub/state", e -> serve(e, "/stub/state", false, this::state));
        server.setExecutor(threads);
        server.start();
    }

    /** Keystone v3's URL, as a driver is configured with it. */
    public String authUrl() {
        return baseUrl() + "/identity/v3";
    }

    /** Keystone v2.0's URL, for a driver set to identityVersion 2. */
    public String authUrlV2() {
        return baseUrl() + "/identity/v2.0";
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Nova refuses a server beyond this many (403, "Quota exceeded for instances"). */
    public void maxServers(int max) {
        this.maxServers = max;
    }

    int maxServers() {
        return maxServers;
    }

    /** The ids of the servers that exist. */
    public Set<String> servers() {
        synchronized (state) {
            return Set.copyOf(state.servers.keySet());
        }
    }

    /** The metadata of a server, or null when it does not exist. */
    public Map<String, String> serverMetadata(String id) {
        synchronized (state) {
            StubState.Server s = state.servers.get(id);
            return s == null ? null : Map.copyOf(s.metadata);
        }
    }

    /** The ids of the volumes that exist. */
    public Set<String> volumes() {
        synchronized (state) {
            return Set.copyOf(state.volumes.keySet());
        }
    }

    /** The floating addresses allocated now. */
    public List<String> floatingAddresses() {
        synchronized (state) {
            return state.floatingIps.values().stream().map(f -> f.address).toList();
        }
    }

    /** Deletes a server as someone else would (the console, another tool): the driver finds it gone. */
    public void deleteServerBehindTheDriversBack(String id) {
        Compute.deleteServer(this, id);
    }

    /** Creates a server that is not the driver's (no ConPaaS metadata of this owner), as another tenant user would. */
    public String createForeignServer(String name, Map<String, String> metadata) {
        return Compute.createServer(this, name, "1", StubState.IMAGE_ID, metadata, null, false);
    }

    private void state(StubExchange e) throws IOException {
        Map<String, Object> json = new java.util.LinkedHashMap<>();
        json.put("servers", List.copyOf(servers()));
        json.put("volumes", List.copyOf(volumes()));
        json.put("floatingIps", floatingAddresses());
        json.put("machines", hypervisor == null ? List.of() : hypervisor.machines().stream()
                .filter(hypervisor::isRunning).sorted().toList());
        e.reply(200, json);
    }

    private interface Handler {
        void handle(StubExchange exchange) throws IOException;
    }

    private void serve(HttpExchange raw, String prefix, boolean needsToken, Handler handler) throws IOException {
        try {
            StubExchange exchange = new StubExchange(raw, prefix);
            if (needsToken && !isValid(exchange.token)) {
                exchange.reply(401, Map.of("error", Map.of("code", 401, "title", "Unauthorized",
                        "message", "The request you have made requires authentication.")));
                return;
            }
            handler.handle(exchange);
        } catch (RuntimeException | IOException e) {
            byte[] body = ("{\"computeFault\":{\"code\":500,\"message\":\"stub: " + e.getClass().getSimpleName()
                    + "\"}}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            raw.getResponseHeaders().add("Content-Type", "application/json");
            raw.sendResponseHeaders(500, body.length);
            raw.getResponseBody().write(body);
            raw.close();
        }
    }

    private boolean isValid(String token) {
        synchronized (state) {
            return token != null && state.tokens.containsKey(token);
        }
    }

    /** Stops answering; the machines still running are halted (the hypervisor itself is the caller's to close). */
    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
        if (hypervisor != null) {
            for (String id : servers()) {
                hypervisor.halt(id);
            }
        }
    }
}
