package org.conpaas.cloud.lxc;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.conpaas.service.support.host.Placeholders;

/** The configuration of one LXC cloud, checked for form, with placeholders and defaults resolved. */
record LxcSettings(String name, String bridge, Ipv4.Interface bridgeAddress, Ipv4.Range addresses, int agentPort,
        Path dataDir, int memoryMb, int cpuShares, List<Path> hostMounts, Path javaHome, String javaOptions,
        String relayHost, int relayPort, long idmapBase, BaseImage base) {

    /** Names end up in container and interface names and in shell-free command lines: keep them plain. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,19}");
    /** Linux interface names are at most 15 characters. */
    private static final Pattern BRIDGE = Pattern.compile("[a-z][a-z0-9_-]{0,14}");
    private static final Pattern SAFE_PATH = Pattern.compile("/[A-Za-z0-9._/+-]*");
    /** Ids from 2^31 on are negative to programs that take uid_t for a signed int; stay below. */
    private static final long ID_LIMIT = 1L << 31;
    /** Host folders that would hide a Debian base's own programs, libraries or configuration. */
    private static final Set<Path> DEBIANS_OWN = Set.of(Path.of("/usr"), Path.of("/usr/lib"), Path.of("/usr/bin"),
            Path.of("/usr/sbin"), Path.of("/usr/share"), Path.of("/usr/local"), Path.of("/etc"), Path.of("/var"),
            Path.of("/lib"), Path.of("/lib64"), Path.of("/bin"), Path.of("/sbin"));

    LxcSettings {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name '" + name + "' is not 1 to 20 of a-z 0-9 - (it is part of "
                    + "container names)");
        }
        if (bridge == null || !BRIDGE.matcher(bridge).matches()) {
            throw new IllegalArgumentException("bridge '" + bridge + "' is not an interface name (a-z first, at "
                    + "most 15 of a-z 0-9 _ -)");
        }
        if (bridge.equals("lxcbr0")) {
            throw new IllegalArgumentException("bridge lxcbr0 belongs to lxc-net (with NAT to the outside); give the "
                    + "LXC cloud a bridge of its own");
        }
        if (!bridgeAddress.contains(addresses.first()) || !bridgeAddress.contains(addresses.last())) {
            throw new IllegalArgumentException("addressRange " + addresses + " is not inside the bridge's network "
                    + bridgeAddress);
        }
        if (addresses.first() <= bridgeAddress.address() && bridgeAddress.address() <= addresses.last()) {
            throw new IllegalArgumentException("addressRange " + addresses + " holds the bridge's own address "
                    + Ipv4.format(bridgeAddress.address()));
        }
        if (agentPort < 1 || agentPort > 65535) {
            throw new IllegalArgumentException("agentPort " + agentPort + " is not between 1 and 65535");
        }
        if (memoryMb < 64 || memoryMb > 1048576) {
            throw new IllegalArgumentException("memoryMb " + memoryMb + " is not between 64 and 1048576");
        }
        if (cpuShares < 2 || cpuShares > 262144) {
            throw new IllegalArgumentException("cpuShares " + cpuShares + " is not between 2 and 262144");
        }
        for (Path mount : hostMounts) {
            if (!SAFE_PATH.matcher(mount.toString()).matches() || mount.getNameCount() == 0) {
                throw new IllegalArgumentException("host mount '" + mount + "' is not an absolute path below / of "
                        + "A-Z a-z 0-9 . _ / + -");
            }
        }
        if (!SAFE_PATH.matcher(dataDir.toString()).matches()) {
            throw new IllegalArgumentException("dataDir '" + dataDir + "' is not an absolute path of A-Z a-z 0-9 . _ "
                    + "/ + - (it goes into container configurations)");
        }
        if (relayHost != null && (relayPort < 1 || relayPort > 65535)) {
            throw new IllegalArgumentException("directorRelay port " + relayPort + " is not between 1 and 65535");
        }
        long nodes = addresses.last() - addresses.first() + 1;
        if (idmapBase < IdRange.SIZE || idmapBase % IdRange.SIZE != 0
                || idmapBase + nodes * IdRange.SIZE > ID_LIMIT) {
            throw new IllegalArgumentException("idmapBase " + idmapBase + " is not a multiple of " + IdRange.SIZE
                    + " from " + IdRange.SIZE + " on whose " + nodes + " node ranges (one per address of "
                    + addresses + ") end below " + ID_LIMIT);
        }
        if (base == null) {
            base = BaseImage.DEFAULT;
        }
        for (Path mount : hostMounts) {
            if (base.debian() && DEBIANS_OWN.contains(mount)) {
                throw new IllegalArgumentException("host mount " + mount + " would hide the Debian base's own "
                        + mount + " (base = debian): mount folders below it instead, such as the JDK");
            }
        }
        hostMounts = List.copyOf(hostMounts);
        javaOptions = javaOptions == null ? "" : javaOptions.trim();
    }

    /** A cloud on the default busybox base. */
    LxcSettings(String name, String bridge, Ipv4.Interface bridgeAddress, Ipv4.Range addresses, int agentPort,
            Path dataDir, int memoryMb, int cpuShares, List<Path> hostMounts, Path javaHome, String javaOptions,
            String relayHost, int relayPort, long idmapBase) {
        this(name, bridge, bridgeAddress, addresses, agentPort, dataDir, memoryMb, cpuShares, hostMounts, javaHome,
                javaOptions, relayHost, relayPort, idmapBase, BaseImage.DEFAULT);
    }

    /** Containers of this cloud are named {@code <prefix><8 hex digits>}; the base is {@code <prefix>base}. */
    String containerPrefix() {
        return "cps-" + name + "-";
    }

    /** The host ids of the node at {@code address}: the range of its place in the address range. */
    IdRange ids(String address) {
        long value = Ipv4.parse(address);
        if (value < addresses.first() || value > addresses.last()) {
            throw new IllegalArgumentException(address + " is not in the address range " + addresses);
        }
        return IdRange.forSlot(idmapBase, value - addresses.first());
    }

    /** The first host id any of this cloud's containers may run as. */
    long firstMappedId() {
        return idmapBase;
    }

    /** The last: that of the last address's range. */
    long lastMappedId() {
        return idmapBase + (addresses.last() - addresses.first() + 1) * IdRange.SIZE - 1;
    }

    boolean relays() {
        return relayHost != null;
    }

    static LxcSettings from(LxcCloudConfig config) {
        String javaHome = config.javaHome() == null || config.javaHome().isBlank()
                ? System.getProperty("java.home") : resolve(config.javaHome());
        BaseImage base = BaseImage.parse(config.base(), config.debianSuite(), config.debianMirror(),
                config.debianPackages());
        String hostMounts = config.hostMounts();
        if (base.debian() && LxcCloudConfig.BUSYBOX_HOST_MOUNTS.equals(hostMounts)) {
            // the container has its own /usr: from the host only what the agent runs on, the JDK and its settings
            hostMounts = javaHome + ",/etc/java-17-openjdk";
        }
        List<Path> mounts = new ArrayList<>();
        for (String mount : hostMounts == null ? new String[0] : hostMounts.split(",")) {
            if (!mount.isBlank()) {
                mounts.add(Path.of(mount.trim()).normalize());
            }
        }
        Path java = Path.of(javaHome).normalize();
        if (base.debian() && mounts.stream().noneMatch(java::startsWith)) {
            mounts.add(java); // the agents' Java is the host's in every case
        }
        String relay = config.directorRelay() == null ? "" : config.directorRelay().trim();
        String relayHost = null;
        int relayPort = 0;
        if (!relay.isEmpty()) {
            int colon = relay.lastIndexOf(':');
            if (colon < 1 || !relay.substring(colon + 1).matches("[0-9]{1,5}")) {
                throw new IllegalArgumentException("directorRelay '" + relay + "' is not host:port");
            }
            relayHost = relay.substring(0, colon);
            relayPort = Integer.parseInt(relay.substring(colon + 1));
        }
        return new LxcSettings(config.name() == null ? null : config.name().trim(),
                config.bridge() == null ? null : config.bridge().trim(), Ipv4.Interface.parse(config.bridgeAddress()),
                Ipv4.Range.parse(config.addressRange()), config.agentPort(),
                Path.of(resolve(config.dataDir())).toAbsolutePath().normalize(), config.memoryMb(),
                config.cpuShares(), mounts, Path.of(javaHome), config.javaOptions(), relayHost, relayPort,
                config.idmapBase(), base);
    }

    static String resolve(String value) {
        return Placeholders.resolve(value);
    }
}
