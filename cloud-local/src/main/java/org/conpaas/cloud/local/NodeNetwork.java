package org.conpaas.cloud.local;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Where a local node's processes meet the network. In the loopback mode (the default) a node is a process on this
 * host's network and listens on its own 127.x address: nothing to set up. In the namespace mode
 * ({@link NamespaceNodeNetwork}) every node has a network namespace of its own on a private bridge.
 */
interface NodeNetwork {

    /** The loopback mode: the host's network, nothing to create or remove. */
    NodeNetwork LOOPBACK = new NodeNetwork() {
    };

    /** Null when nodes can be launched, else why not, in one sentence. */
    default String unavailableReason() {
        return null;
    }

    /** Whether the address pool must check that nothing on this host listens on an address before handing it out. */
    default boolean probesHostAddresses() {
        return true;
    }

    /** Gives the node its network before its user data runs (namespace: interfaces, address, a way to the director). */
    default void attach(String vmId, String address, long uid, String userData) throws IOException {
    }

    /** What the node's command line starts with, to run inside the node's network. */
    default List<String> enter(String vmId) {
        return List.of();
    }

    /** Variables the node's boot script needs besides the local cloud's own. */
    default Map<String, String> environment(String vmId) {
        return Map.of();
    }

    /** Removes what {@link #attach} made; the node's processes have ended. Never fails for what is already gone. */
    default void detach(String vmId) {
    }

    /** The driver stops: release what no node of this cloud still runs in (running nodes keep their network). */
    default void close() {
    }
}
