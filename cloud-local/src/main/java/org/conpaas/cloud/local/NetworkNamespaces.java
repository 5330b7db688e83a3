package org.conpaas.cloud.local;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.conpaas.service.support.host.Mounts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host side of the namespace mode, all through {@code ip} (iproute2): one bridge per cloud carrying the subnet's
 * first address, and per node a network namespace {@code <bridge>-<vmId>} holding the {@code eth0} end of a veth pair
 * whose other end, {@code cpv<8 hex digits of the vmId>}, is a port of the bridge. The namespace gets the node's
 * address, its loopback, and no default route: a node reaches the bridge's subnet (this host, the other nodes) and
 * nothing beyond; ip_forward is left as it is. Only what carries these names is ever touched: the bridge by its
 * configured name, namespaces by the {@code <bridge>-local-} prefix, veths by the name derived from such a namespace.
 */
final class NetworkNamespaces {

    private static final Logger LOG = LoggerFactory.getLogger(NetworkNamespaces.class);
    private static final Path NETNS_DIR = Path.of("/run/netns");
    private static final Path SYS_NET = Path.of("/sys/class/net");
    static final Pattern BRIDGE_NAME = Pattern.compile("[a-z][a-z0-9]{0,9}");

    private final String bridge;
    private final PrivateSubnet subnet;
    private final Pattern ownNamespace;

    NetworkNamespaces(String bridge, PrivateSubnet subnet) {
        if (!BRIDGE_NAME.matcher(bridge).matches()) {
            throw new IllegalArgumentException("bridge '" + bridge + "' must be 1 to 10 lower-case letters and digits, "
                    + "starting with a letter");
        }
        this.bridge = bridge;
        this.subnet = subnet;
        this.ownNamespace = Pattern.compile(Pattern.quote(bridge) + "-(local-([0-9a-f]{8}))");
    }

    String bridge() {
        return bridge;
    }

    String namespace(String vmId) {
        return bridge + "-" + vmId;
    }

    static String hostVeth(String vmId) {
        return "cpv" + vmId.substring(vmId.length() - 8);
    }

    /** The file {@code nsenter --net=} enters. */
    Path namespaceFile(String vmId) {
        return NETNS_DIR.resolve(namespace(vmId));
    }

    /**
     * Creates the bridge with the subnet's first address, or takes back the one a crash left (same name, a bridge,
     * our address or none). Refuses, with the reason, a name some other interface has, and a subnet another interface
     * already has addresses in.
     */
    void ensureBridge() throws IOException {
        Path sys = SYS_NET.resolve(bridge);
        for (String holder : interfacesInSubnet()) {
            if (!holder.equals(bridge)) {
                throw new IOException("the subnet " + subnet + " is already used by interface " + holder
                        + " of this host; choose another bridgeAddress");
            }
        }
        if (Files.exists(sys)) {
            if (!Files.isDirectory(sys.resolve("bridge"))) {
                throw new IOException("interface " + bridge + " exists and is not a bridge; choose another bridge name");
            }
            if (!interfacesInSubnet().contains(bridge)) {
                ip("addr", "add", subnet.bridgeCidr(), "dev", bridge);
            }
        } else {
            ip("link", "add", bridge, "type", "bridge");
            ip("addr", "add", subnet.bridgeCidr(), "dev", bridge);
            LOG.info("bridge {} created with {}", bridge, subnet.bridgeCidr());
        }
        ip("link", "set", bridge, "up");
    }

    /** The node's namespace, its veth pair on the bridge and its address; on failure, nothing of it is left. */
    void create(String vmId, String address) throws IOException {
        String namespace = namespace(vmId);
        String veth = hostVeth(vmId);
        try {
            ip("netns", "add", namespace);
            ip("link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", namespace);
            ip("link", "set", veth, "master", bridge, "up");
            ip("-n", namespace, "addr", "add", subnet.cidr(address), "dev", "eth0");
            ip("-n", namespace, "link", "set", "lo", "up");
            ip("-n", namespace, "link", "set", "eth0", "up");
        } catch (IOException e) {
            remove(vmId);
            throw e;
        }
    }

    /**
     * Removes the node's namespace (ending every process still in it: only a namespace without processes goes away
     * with its veth pair) and its host veth if left. Never fails for what is already gone.
     */
    void remove(String vmId) {
        String namespace = namespace(vmId);
        if (Files.exists(NETNS_DIR.resolve(namespace))) {
            for (long pid : pidsIn(namespace)) {
                ProcessTable.kill(pid);
            }
            quietly("netns", "del", namespace);
        }
        if (Files.exists(SYS_NET.resolve(hostVeth(vmId)))) {
            // The kernel removes the pair with the namespace, a moment later: only one still there is ours to delete.
            String error = null;
            try {
                error = Mounts.run("ip", "link", "del", hostVeth(vmId));
            } catch (IOException e) {
                error = e.getMessage();
            }
            if (error != null && !error.contains("Cannot find device")) {
                LOG.warn("cannot remove veth {}: {}", hostVeth(vmId), error);
            }
        }
    }

    /** The vmIds of this bridge's namespaces on this host. */
    List<String> vmIds() {
        List<String> vmIds = new ArrayList<>();
        if (Files.isDirectory(NETNS_DIR)) {
            try (DirectoryStream<Path> names = Files.newDirectoryStream(NETNS_DIR)) {
                for (Path name : names) {
                    Matcher m = ownNamespace.matcher(name.getFileName().toString());
                    if (m.matches()) {
                        vmIds.add(m.group(1));
                    }
                }
            } catch (IOException e) {
                LOG.warn("cannot list {}: {}", NETNS_DIR, e.toString());
            }
        }
        return vmIds;
    }

    boolean bridgeExists() {
        return Files.exists(SYS_NET.resolve(bridge));
    }

    /** Removes the bridge, once no namespace of it is left. */
    void removeBridgeIfUnused() {
        if (vmIds().isEmpty() && bridgeExists()) {
            quietly("link", "del", bridge);
            LOG.info("bridge {} removed", bridge);
        }
    }

    private List<Long> pidsIn(String namespace) {
        List<Long> pids = new ArrayList<>();
        try {
            String out = Mounts.output("ip", "netns", "pids", namespace);
            for (String line : out.split("\\s+")) {
                if (line.matches("[0-9]+")) {
                    pids.add(Long.parseLong(line));
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot list the processes in namespace {}: {}", namespace, e.getMessage());
        }
        return pids;
    }

    /** The interfaces of this host (its own network namespace) with an IPv4 address in the subnet. */
    private List<String> interfacesInSubnet() throws IOException {
        List<String> holders = new ArrayList<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InterfaceAddress a : nic.getInterfaceAddresses()) {
                    if (a.getAddress() instanceof Inet4Address v4
                            && subnet.contains(PrivateSubnet.parseAddress(v4.getHostAddress()))) {
                        holders.add(nic.getName());
                    }
                }
            }
        } catch (SocketException e) {
            throw new IOException("cannot list this host's interfaces: " + e.getMessage(), e);
        }
        return holders;
    }

    private static void ip(String... arguments) throws IOException {
        String[] command = new String[arguments.length + 1];
        command[0] = "ip";
        System.arraycopy(arguments, 0, command, 1, arguments.length);
        String error = Mounts.run(command);
        if (error != null) {
            throw new IOException("ip " + String.join(" ", arguments) + " failed: " + error);
        }
    }

    private static void quietly(String... arguments) {
        try {
            ip(arguments);
        } catch (IOException e) {
            LOG.warn("{}", e.getMessage());
        }
    }
}
