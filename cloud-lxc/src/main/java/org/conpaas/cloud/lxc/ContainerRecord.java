package org.conpaas.cloud.lxc;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.conpaas.service.support.host.PropertiesFiles;

/**
 * What the driver remembers of one node, in {@code <dataDir>/nodes/<vmId>/node.properties}, outside the container:
 * the director's node id, the container's address (its reservation: an address is free when no record holds it) and
 * the limits it was started with, and the host ids its user namespace maps to (a record without them is of a container
 * an older driver started privileged: its ids are the host's).
 */
record ContainerRecord(String vmId, String nodeId, String role, String address, int memoryMb, int cpuShares,
        IdRange ids) {

    static final String FILE = "node.properties";

    /** What node info shows of the container. */
    String limits() {
        return "memory " + memoryMb + " MB, cpu shares " + cpuShares;
    }

    void write(Path nodeDir) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("vmId", vmId);
        values.put("nodeId", nodeId == null ? "" : nodeId);
        values.put("role", role == null ? "" : role);
        values.put("address", address);
        values.put("memoryMb", Integer.toString(memoryMb));
        values.put("cpuShares", Integer.toString(cpuShares));
        values.put("idmapBase", Long.toString(ids.base()));
        PropertiesFiles.write(nodeDir.resolve(FILE), values);
    }

    static ContainerRecord read(Path nodeDir) throws IOException {
        Map<String, String> v = PropertiesFiles.read(nodeDir.resolve(FILE));
        try {
            return new ContainerRecord(v.get("vmId"), v.get("nodeId"), v.get("role"), v.get("address"),
                    Integer.parseInt(v.getOrDefault("memoryMb", "0")),
                    Integer.parseInt(v.getOrDefault("cpuShares", "0")),
                    new IdRange(Long.parseLong(v.getOrDefault("idmapBase", "0"))));
        } catch (IllegalArgumentException e) {
            throw new IOException("corrupt " + nodeDir.resolve(FILE) + ": " + e.getMessage(), e);
        }
    }
}
