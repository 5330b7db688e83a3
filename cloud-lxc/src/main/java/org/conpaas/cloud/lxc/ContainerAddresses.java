package org.conpaas.cloud.lxc;

import java.io.IOException;
import java.util.Set;
import java.util.function.Function;
import org.conpaas.api.CloudException;

/**
 * Hands out the containers' addresses. The node's record is its reservation, written under this lock: an address
 * is free again as soon as the node's folder is gone, so no crash can leak one.
 */
final class ContainerAddresses {

    private final Ipv4.Range range;
    private final NodeContainers containers;

    ContainerAddresses(Ipv4.Range range, NodeContainers containers) {
        this.range = range;
        this.containers = containers;
    }

    /** Picks the first free address, and writes the record {@code recordFor} makes of it in the node's folder. */
    synchronized ContainerRecord allocate(String vmId, Function<String, ContainerRecord> recordFor)
            throws IOException {
        Set<String> used = containers.addressesInUse();
        for (long a = range.first(); a <= range.last(); a++) {
            String address = Ipv4.format(a);
            if (!used.contains(address)) {
                ContainerRecord record = recordFor.apply(address);
                record.write(containers.nodeDir(vmId));
                return record;
            }
        }
        throw new CloudException("no free address left in " + range + " (" + used.size() + " in use)");
    }
}
