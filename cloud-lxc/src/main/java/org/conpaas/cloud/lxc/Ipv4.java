package org.conpaas.cloud.lxc;

/** IPv4 addresses as numbers, the bridge's network and the containers' range in it. */
final class Ipv4 {

    private Ipv4() {
    }

    /** An address with its prefix length, e.g. the bridge's 198.18.0.1/24. */
    record Interface(long address, int prefixLength) {

        static Interface parse(String text) {
            String[] parts = text == null ? new String[0] : text.trim().split("/");
            if (parts.length != 2 || !parts[1].matches("[0-9]{1,2}")) {
                throw new IllegalArgumentException("'" + text + "' is not an address with a prefix length, "
                        + "e.g. 198.18.0.1/24");
            }
            int prefix = Integer.parseInt(parts[1]);
            if (prefix < 8 || prefix > 30) {
                throw new IllegalArgumentException("prefix length /" + prefix + " of '" + text
                        + "' is not between /8 and /30");
            }
            return new Interface(Ipv4.parse(parts[0]), prefix);
        }

        long network() {
            return address & mask();
        }

        long broadcast() {
            return network() | (~mask() & 0xffffffffL);
        }

        boolean contains(long other) {
            return (other & mask()) == network() && other != network() && other != broadcast();
        }

        private long mask() {
            return (0xffffffffL << (32 - prefixLength)) & 0xffffffffL;
        }

        @Override
        public String toString() {
            return format(address) + "/" + prefixLength;
        }
    }

    /** Inclusive range of container addresses. */
    record Range(long first, long last) {

        static Range parse(String text) {
            String[] ends = text == null ? new String[0] : text.trim().split("\\s*-\\s*");
            if (ends.length != 2) {
                throw new IllegalArgumentException("address range '" + text + "' is not of the form first-last");
            }
            long first = Ipv4.parse(ends[0]);
            long last = Ipv4.parse(ends[1]);
            if (first > last) {
                throw new IllegalArgumentException("address range '" + text + "' starts after it ends");
            }
            return new Range(first, last);
        }

        @Override
        public String toString() {
            return format(first) + "-" + format(last);
        }
    }

    static long parse(String text) {
        String[] parts = text.trim().split("\\.", -1);
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

    static String format(long value) {
        return (value >> 24 & 0xff) + "." + (value >> 16 & 0xff) + "." + (value >> 8 & 0xff) + "." + (value & 0xff);
    }
}
