package org.conpaas.cloud.local;

import org.conpaas.service.support.host.Mounts;
import static org.junit.Assert.assertEquals;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Bridges and subnets of a test's own for the namespace mode: bridge names {@code cpst<4 hex>}, /24s (and a /30)
 * drawn from 198.19.0.0/16 that no interface of this host uses, so tests never meet the default bridge cpsns0, the
 * LXC cloud's 198.18.0.0/24, or each other. {@link #assertNothingLeftAfter} checks that the drivers left no
 * namespace, veth or bridge, and removes what they left (so a failing test leaks nothing either).
 */
final class NamespaceTestNetwork {

    private final Set<String> vethsBefore = veths();
    private final List<LocalCloudSettings.Namespaces> made = new ArrayList<>();

    NamespaceTestNetwork() {
        if (!NodeAccounts.directorIsRoot()) {
            throw new AssertionError("the namespace mode needs root, as CI runs this test");
        }
    }

    /** A bridge with a /24 of its own. */
    LocalCloudSettings.Namespaces main() {
        return add(24);
    }

    /** A bridge with a /30: one node address. */
    LocalCloudSettings.Namespaces refusing() {
        return add(30);
    }

    private LocalCloudSettings.Namespaces add(int prefix) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 100; attempt++) {
            String bridge = String.format("cpst%04x", random.nextInt(0x10000));
            PrivateSubnet subnet = PrivateSubnet.parse("198.19." + (1 + random.nextInt(250)) + ".1/" + prefix);
            if (!Files.exists(Path.of("/sys/class/net", bridge)) && !subnetUsed(subnet)
                    && made.stream().noneMatch(n -> n.subnet().contains(subnet.bridgeAddress())
                            || subnet.contains(n.subnet().bridgeAddress()))) {
                LocalCloudSettings.Namespaces namespaces = new LocalCloudSettings.Namespaces(bridge, subnet);
                made.add(namespaces);
                return namespaces;
            }
        }
        throw new AssertionError("no free test subnet in 198.19.0.0/16");
    }

    /** Runs {@code close} (closing the drivers), then checks and removes what is left of every bridge made here. */
    void assertNothingLeftAfter(Runnable close) {
        close.run();
        List<String> left = new ArrayList<>();
        for (LocalCloudSettings.Namespaces n : made) {
            NetworkNamespaces namespaces = new NetworkNamespaces(n.bridge(), n.subnet());
            for (String vmId : namespaces.vmIds()) {
                left.add("namespace " + namespaces.namespace(vmId));
                namespaces.remove(vmId);
            }
            if (namespaces.bridgeExists()) {
                left.add("bridge " + n.bridge());
                namespaces.removeBridgeIfUnused();
            }
        }
        for (String veth : veths()) {
            if (!vethsBefore.contains(veth)) {
                left.add("veth " + veth);
                try {
                    Mounts.run("ip", "link", "del", veth);
                } catch (IOException e) {
                    left.add("(cannot remove " + veth + ": " + e.getMessage() + ")");
                }
            }
        }
        assertEquals("left behind", List.of(), left);
    }

    static Set<String> veths() {
        Set<String> names = new HashSet<>();
        try (Stream<Path> nics = Files.list(Path.of("/sys/class/net"))) {
            nics.map(p -> p.getFileName().toString()).filter(n -> n.matches("cpv[0-9a-f]{8}")).forEach(names::add);
        } catch (IOException e) {
            throw new AssertionError("cannot list /sys/class/net: " + e);
        }
        return names;
    }

    private static boolean subnetUsed(PrivateSubnet subnet) {
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (var a : nic.getInterfaceAddresses()) {
                    if (a.getAddress() instanceof Inet4Address v4
                            && subnet.contains(PrivateSubnet.parseAddress(v4.getHostAddress()))) {
                        return true;
                    }
                }
            }
            return false;
        } catch (IOException e) {
            throw new AssertionError("cannot list the interfaces: " + e);
        }
    }
}
