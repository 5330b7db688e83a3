package org.conpaas.cloud.local;

/**
 * The private IPv4 subnet of a namespace-mode local cloud, written as the bridge's address with the prefix length,
 * e.g. {@code 198.19.0.1/24}. The bridge takes that address; nodes get the ones after it, up to the last below the
 * broadcast address. Only private-use blocks are accepted (RFC 1918, RFC 6598 shared space, RFC 2544 benchmarking):
 * nodes must never hold an address someone on the network could own.
 */
record PrivateSubnet(long bridgeAddress, int prefixLength) {

    /** Private-use blocks as {network, prefix length}. */
    private static final long[][] PRIVATE_BLOCKS = {
        {parseAddress("10.0.0.0"), 8}, {parseAddress("172.16.0.0"), 12}, {parseAddress("192.168.0.0"), 16},
        {parseAddress("100.64.0.0"), 10}, {parseAddress("198.18.0.0"), 15}};

    PrivateSubnet {
        if (prefixLength < 16 || prefixLength > 30) {
            throw new IllegalArgumentException("the namespace subnet's prefix length must be 16 to 30; got "
                    + prefixLength);
        }
        boolean privateUse = false;
        for (long[] block : PRIVATE_BLOCKS) {
            privateUse |= prefixLength >= block[1] && network(bridgeAddress, (int) block[1]) == block[0];
        }
        if (!privateUse) {
            throw new IllegalArgumentException(AddressRange.format(bridgeAddress) + "/" + prefixLength
                    + " is not in a private-use block (10/8, 172.16/12, 192.168/16, 100.64/10, 198.18/15)");
        }
        long network = network(bridgeAddress, prefixLength);
        if (bridgeAddress == network || bridgeAddress >= network + size(prefixLength) - 2) {
            throw new IllegalArgumentException("bridge address " + AddressRange.format(bridgeAddress)
                    + " leaves no node address in its /" + prefixLength);
        }
    }

    static PrivateSubnet parse(String text) {
        String[] parts = text == null ? new String[0] : text.trim().split("/");
        if (parts.length != 2 || !parts[1].matches("[0-9]{1,2}")) {
            throw new IllegalArgumentException("bridgeAddress '" + text + "' is not of the form a.b.c.d/prefix");
        }
        return new PrivateSubnet(parseAddress(parts[0]), Integer.parseInt(parts[1]));
    }

    /** The nodes' addresses: after the bridge's, up to the last below the broadcast address. */
    AddressRange nodeAddresses() {
        return new AddressRange(bridgeAddress + 1, network(bridgeAddress, prefixLength) + size(prefixLength) - 2);
    }

    boolean contains(long address) {
        return network(address, prefixLength) == network(bridgeAddress, prefixLength);
    }

    String bridgeAddressText() {
        return AddressRange.format(bridgeAddress);
    }

    /** The bridge's address with the prefix length, as {@code ip addr add} takes it. */
    String bridgeCidr() {
        return bridgeAddressText() + "/" + prefixLength;
    }

    /** A node address with the prefix length. */
    String cidr(String nodeAddress) {
        return nodeAddress + "/" + prefixLength;
    }

    @Override
    public String toString() {
        return AddressRange.format(network(bridgeAddress, prefixLength)) + "/" + prefixLength;
    }

    private static long size(int prefixLength) {
        return 1L << (32 - prefixLength);
    }

    private static long network(long address, int prefixLength) {
        return address & ~(size(prefixLength) - 1) & 0xffffffffL;
    }

    static long parseAddress(String text) {
        String[] parts = text.trim().split("\\.");
        if (parts.length != 4) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 address");
        }
        long value = 0;
        for (String part : parts) {
            if (!part.matches("[0-9]{1,3}") || Integer.parseInt(part) > 255) {
                throw new IllegalArgumentException("'" + text + "' is not an IPv4 address");
            }
            value = value << 8 | Integer.parseInt(part);
        }
        return value;
    }
}
