package org.conpaas.cloud.local;

import java.nio.file.Path;
import org.conpaas.service.support.host.Placeholders;

/**
 * The configuration of one local cloud with placeholders and defaults resolved. {@code namespaces} is null in the
 * loopback mode; in the namespace mode {@code addresses} are the subnet's node addresses.
 */
record LocalCloudSettings(String name, AddressRange addresses, int port, Path dataDir, Path javaHome,
        String javaOptions, NodeAccounts.UidRange nodeUids, Namespaces namespaces) {

    /** The namespace mode's bridge and subnet. */
    record Namespaces(String bridge, PrivateSubnet subnet) {

        Namespaces {
            if (bridge == null || !NetworkNamespaces.BRIDGE_NAME.matcher(bridge).matches()) {
                throw new IllegalArgumentException("bridge '" + bridge + "' must be 1 to 10 lower-case letters and "
                        + "digits, starting with a letter");
            }
        }
    }


    LocalCloudSettings {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("the local cloud needs a name");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not between 1 and 65535");
        }
    }

    /** A loopback-mode cloud. */
    LocalCloudSettings(String name, AddressRange addresses, int port, Path dataDir, Path javaHome, String javaOptions,
            NodeAccounts.UidRange nodeUids) {
        this(name, addresses, port, dataDir, javaHome, javaOptions, nodeUids, null);
    }

    /** A namespace-mode cloud: nodes get the subnet's addresses after the bridge's. */
    static LocalCloudSettings inNamespaces(String name, Namespaces namespaces, int port, Path dataDir, Path javaHome,
            String javaOptions, NodeAccounts.UidRange nodeUids) {
        return new LocalCloudSettings(name, namespaces.subnet().nodeAddresses(), port, dataDir, javaHome, javaOptions,
                nodeUids, namespaces);
    }

    /** The same cloud with the agents' Java replaced (what applies live). */
    LocalCloudSettings withJava(Path newJavaHome, String newJavaOptions) {
        return new LocalCloudSettings(name, addresses, port, dataDir, newJavaHome, newJavaOptions, nodeUids,
                namespaces);
    }

    static LocalCloudSettings from(LocalCloudConfig config) {
        String javaHome = config.javaHome() == null || config.javaHome().isBlank()
                ? System.getProperty("java.home") : resolve(config.javaHome());
        String network = config.network() == null ? "loopback" : config.network().trim();
        Path dataDir = Path.of(resolve(config.dataDir())).toAbsolutePath().normalize();
        String javaOptions = config.javaOptions() == null ? "" : config.javaOptions().trim();
        NodeAccounts.UidRange uids = NodeAccounts.UidRange.parse(config.nodeUids());
        switch (network) {
            case "loopback":
                return new LocalCloudSettings(config.name().trim(), AddressRange.parse(config.addressRange()),
                        config.port(), dataDir, Path.of(javaHome), javaOptions, uids);
            case "namespace":
                return inNamespaces(config.name().trim(), new Namespaces(config.bridge() == null ? null
                        : config.bridge().trim(), PrivateSubnet.parse(config.bridgeAddress())), config.port(),
                        dataDir, Path.of(javaHome), javaOptions, uids);
            default:
                throw new IllegalArgumentException("network '" + network + "' is neither loopback nor namespace");
        }
    }

    static String resolve(String value) {
        return Placeholders.resolve(value);
    }
}
