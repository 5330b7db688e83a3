package org.conpaas.api.cloud;

import org.conpaas.api.InvalidInputException;

/**
 * The resources an add-nodes request asks for each of its nodes, where the cloud can give them per request ({@link
 * CloudCapability#NODE_SIZES}): memory in MB and a CPU weight (cgroup shares, 1024 = one ordinary process's share).
 * A null field leaves that resource to the cloud's configuration.
 */
public record NodeSize(Integer memoryMb, Integer cpuShares) {

    /** No wish: the cloud's configured sizes. */
    public static final NodeSize DEFAULT = new NodeSize(null, null);
    public static final int MIN_MEMORY_MB = 64;
    public static final int MAX_MEMORY_MB = 1_048_576;
    public static final int MIN_CPU_SHARES = 2;
    public static final int MAX_CPU_SHARES = 262_144;

    public NodeSize {
        if (memoryMb != null && (memoryMb < MIN_MEMORY_MB || memoryMb > MAX_MEMORY_MB)) {
            throw new InvalidInputException("memoryMb", "memoryMb must be from " + MIN_MEMORY_MB + " to "
                    + MAX_MEMORY_MB + ", not " + memoryMb);
        }
        if (cpuShares != null && (cpuShares < MIN_CPU_SHARES || cpuShares > MAX_CPU_SHARES)) {
            throw new InvalidInputException("cpuShares", "cpuShares must be from " + MIN_CPU_SHARES + " to "
                    + MAX_CPU_SHARES + ", not " + cpuShares);
        }
    }

    /** Whether the request asks for anything at all. */
    public boolean isDefault() {
        return memoryMb == null && cpuShares == null;
    }

    /** The asked memory, or the configured one. */
    public int memoryMbOr(int configured) {
        return memoryMb == null ? configured : memoryMb;
    }

    public int cpuSharesOr(int configured) {
        return cpuShares == null ? configured : cpuShares;
    }
}
