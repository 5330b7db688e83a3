package org.conpaas.cloud.local;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.conpaas.service.support.host.PropertiesFiles;

/**
 * What the driver remembers about one node, in {@code <nodeDir>/node.properties} (outside the node's own work folder,
 * so the node cannot change what the driver signals). {@code pid} is also the process group id (the agent is started
 * with setsid); it is -1 while the process is being started. {@code uid} is the node's account (its group has the
 * same number), {@link NodeAccounts#DIRECTOR_ACCOUNT} when it runs as the director's.
 */
record NodeRecord(String vmId, String nodeId, String name, String role, String address, int port, long uid, long pid,
        long startTicks) {

    static final String FILE = "node.properties";

    NodeRecord withProcess(long newPid, long newStartTicks) {
        return new NodeRecord(vmId, nodeId, name, role, address, port, uid, newPid, newStartTicks);
    }

    boolean ownAccount() {
        return uid >= 0;
    }

    boolean hasProcess() {
        return pid > 0;
    }

    void write(Path nodeDir) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("vmId", vmId);
        values.put("nodeId", nodeId);
        values.put("name", name == null ? "" : name);
        values.put("role", role == null ? "" : role);
        values.put("address", address);
        values.put("port", Integer.toString(port));
        values.put("uid", Long.toString(uid));
        values.put("pid", Long.toString(pid));
        values.put("pgid", Long.toString(pid));
        values.put("startTime", Long.toString(startTicks));
        PropertiesFiles.write(nodeDir.resolve(FILE), values);
    }

    static NodeRecord read(Path nodeDir) throws IOException {
        Map<String, String> v = PropertiesFiles.read(nodeDir.resolve(FILE));
        try {
            return new NodeRecord(v.get("vmId"), v.get("nodeId"), v.get("name"), v.get("role"), v.get("address"),
                    Integer.parseInt(v.getOrDefault("port", "0")),
                    Long.parseLong(v.getOrDefault("uid", Long.toString(NodeAccounts.DIRECTOR_ACCOUNT))),
                    Long.parseLong(v.getOrDefault("pid", "-1")),
                    Long.parseLong(v.getOrDefault("startTime", "-1")));
        } catch (NumberFormatException e) {
            throw new IOException("corrupt " + nodeDir.resolve(FILE) + ": " + e.getMessage(), e);
        }
    }
}
