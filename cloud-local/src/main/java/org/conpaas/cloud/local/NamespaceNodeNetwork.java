package org.conpaas.cloud.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.conpaas.service.support.host.DirectorRelay;
import org.conpaas.service.support.host.FilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The namespace mode of the local cloud: each node in a network namespace of its own on the cloud's private bridge
 * ({@link NetworkNamespaces}), entered with {@code nsenter --net=} so that the node keeps the host's mount namespace
 * (a FUSE or loop mount made by the node or for it is the host's, and {@code ip netns exec} would also remount
 * {@code /sys}). Needs root.
 * <p>
 * A node boots by downloading the agent from the director's HTTPS, which listens on this host's loopback, out of
 * the namespace's reach. For each loopback URL in the node's boot script the driver relays the bridge address's
 * same port to it ({@link DirectorRelay}) and gives curl, through {@code CURL_HOME}, a {@code .curlrc} in the node's
 * folder with {@code connect-to}: the script still asks for {@code https://127.0.0.1:<port>/…} (so TLS checks the
 * name the director's certificate carries) and the connection goes to the bridge. Nothing else of the host is
 * reachable from a node but what listens on the bridge address.
 */
final class NamespaceNodeNetwork implements NodeNetwork {

    private static final Logger LOG = LoggerFactory.getLogger(NamespaceNodeNetwork.class);
    private static final Pattern LOOPBACK_URL = Pattern.compile(
            "https://(127\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}):([0-9]{1,5})/");
    static final String CURL_CONFIG = ".curlrc";

    private final String cloud;
    private final NetworkNamespaces namespaces;
    private final PrivateSubnet subnet;
    private final NodeStore nodes;
    private final Predicate<String> nodeRunning;
    /** Relays by loopback host:port, started when a boot script first needs one, closed with the driver. */
    private final Map<String, DirectorRelay> relays = new LinkedHashMap<>();
    private final boolean root;
    private volatile String unavailable;

    /**
     * Takes back what a crash left (namespaces of nodes that no longer exist) and sets up the bridge; without root,
     * or when the bridge cannot be made, the cloud is unavailable with the reason.
     */
    NamespaceNodeNetwork(String cloud, String bridge, PrivateSubnet subnet, NodeStore nodes,
            Predicate<String> nodeRunning, boolean root) {
        this.cloud = cloud;
        this.namespaces = new NetworkNamespaces(bridge, subnet);
        this.subnet = subnet;
        this.nodes = nodes;
        this.nodeRunning = nodeRunning;
        this.root = root;
        if (!root) {
            unavailable = "cloud " + cloud + " runs its nodes in network namespaces (network = namespace), which needs "
                    + "the director to run as root";
            return;
        }
        for (String vmId : namespaces.vmIds()) {
            if (!nodes.exists(vmId)) {
                LOG.info("cloud {}: removing the network namespace of vanished node {}", cloud, vmId);
                namespaces.remove(vmId);
            }
        }
        try {
            namespaces.ensureBridge();
        } catch (IOException e) {
            unavailable = "cloud " + cloud + " cannot set up its bridge " + bridge + ": " + e.getMessage();
        }
    }

    @Override
    public String unavailableReason() {
        return unavailable;
    }

    /** The subnet's addresses exist on no host interface but the bridge: nothing to probe. */
    @Override
    public boolean probesHostAddresses() {
        return false;
    }

    @Override
    public void attach(String vmId, String address, long uid, String userData) throws IOException {
        if (unavailable != null) {
            throw new IOException(unavailable);
        }
        if (!namespaces.bridgeExists()) {
            namespaces.ensureBridge(); // someone deleted it behind our back
        }
        namespaces.create(vmId, address);
        StringBuilder curlConfig = new StringBuilder("# written by the local cloud: loopback URLs go to the bridge\n");
        Matcher m = LOOPBACK_URL.matcher(userData);
        while (m.find()) {
            int port = Integer.parseInt(m.group(2));
            relay(m.group(1), port);
            curlConfig.append("connect-to = ").append(m.group(1)).append(':').append(port).append(':')
                    .append(subnet.bridgeAddressText()).append(':').append(port).append('\n');
        }
        Path file = nodes.dir(vmId).resolve(CURL_CONFIG);
        FilePermissions.writePrivate(file, curlConfig.toString().getBytes(StandardCharsets.UTF_8));
        if (uid >= 0) {
            FilePermissions.setOwner(file, 0, uid);
            FilePermissions.setMode(file, "rw-r-----");
        }
    }

    private synchronized void relay(String loopbackHost, int port) throws IOException {
        String key = loopbackHost + ":" + port;
        if (!relays.containsKey(key)) {
            relays.put(key, DirectorRelay.start(subnet.bridgeAddressText(), loopbackHost, port, "cloud-local-" + cloud));
        }
    }

    @Override
    public List<String> enter(String vmId) {
        return List.of("nsenter", "--net=" + namespaces.namespaceFile(vmId));
    }

    @Override
    public Map<String, String> environment(String vmId) {
        return Map.of("CURL_HOME", nodes.dir(vmId).toString());
    }

    @Override
    public void detach(String vmId) {
        namespaces.remove(vmId);
    }

    /**
     * Stops relaying and removes the namespaces of nodes that no longer run, then the bridge if no namespace is left.
     * Running nodes keep theirs (and the bridge): a director restart leaves nodes running in every mode.
     */
    @Override
    public synchronized void close() {
        relays.values().forEach(DirectorRelay::close);
        relays.clear();
        if (!root) {
            return;
        }
        for (String vmId : namespaces.vmIds()) {
            if (!nodeRunning.test(vmId)) {
                namespaces.remove(vmId);
            }
        }
        namespaces.removeBridgeIfUnused();
    }

    NetworkNamespaces namespaces() {
        return namespaces;
    }
}
