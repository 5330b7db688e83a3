package org.conpaas.cloud.local;

/** An inclusive range of IPv4 loopback addresses, e.g. 127.1.0.1-127.1.255.254. */
record AddressRange(long first, long last) {

    AddressRange {
        if (first > last) {
            throw new IllegalArgumentException("address range starts after it ends: " + format(first) + "-"
                    + format(last));
        }
    }

    static AddressRange parse(String text) {
        String[] ends = text == null ? new String[0] : text.trim().split("\\s*-\\s*");
        if (ends.length != 2) {
            throw new IllegalArgumentException("address range '" + text + "' is not of the form first-last");
        }
        return new AddressRange(toLoopback(ends[0]), toLoopback(ends[1]));
    }

    long size() {
        return last - first + 1;
    }

    String address(long index) {
        return format(first + index);
    }

    static String format(long value) {
        return (value >> 24 & 0xff) + "." + (value >> 16 & 0xff) + "." + (value >> 8 & 0xff) + "." + (value & 0xff);
    }

    /** Only 127.0.0.0/8: local nodes must never listen on a reachable interface. */
    private static long toLoopback(String text) {
        String[] parts = text.split("\\.");
        if (parts.length != 4) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 address");
        }
        long value = 0;
        for (String part : parts) {
            int octet;
            try {
                octet = Integer.parseInt(part);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is not an IPv4 address");
            }
            if (octet < 0 || octet > 255) {
                throw new IllegalArgumentException("'" + text + "' is not an IPv4 address");
            }
            value = value << 8 | octet;
        }
        if ((value >> 24) != 127) {
            throw new IllegalArgumentException(text + " is not a loopback address (127.0.0.0/8)");
        }
        return value;
    }
}
