package org.conpaas.service.xtreemfs;

import java.util.List;
import java.util.Map;
import org.conpaas.api.InvalidInputException;
import org.conpaas.api.service.ServiceNode;

/**
 * Removing an OSD without losing data: its chunk folder is marked for removal, the master copies every chunk that
 * has a copy there onto the other chunkservers (it keeps serving them meanwhile), and the node goes only when the
 * master, counting regular disks only, has no chunk missing, endangered or under its goal. Refused beforehand when
 * the chunks would not fit on the others.
 */
final class OsdDrain {

    /** MooseFS keeps this much free on every chunkserver (HDD_LEAVE_SPACE_DEFAULT in the node's configuration). */
    static final long RESERVED_BYTES = 64L << 20;
    static final long TIMEOUT_NANOS = 10L * 60 * 1_000_000_000L;
    /** The master recomputes its chunk classes once a second (CHUNKS_LOOP_MIN_TIME); older answers are stale. */
    static final long SETTLE_MILLIS = 3_000;

    private final XtreemfsManager manager;

    OsdDrain(XtreemfsManager manager) {
        this.manager = manager;
    }

    void checkSpace(List<ServiceNode> leaving) {
        List<String> leavingAddresses = leaving.stream().map(ServiceNode::address).toList();
        long needed = 0;
        long free = 0;
        for (Map<String, Object> server : manager.chunkservers()) {
            long used = number(server.get("usedBytes")) + number(server.get("markedUsedBytes"));
            if (leavingAddresses.contains(String.valueOf(server.get("address")))) {
                needed += used;
            } else {
                free += Math.max(0, number(server.get("totalBytes")) - used - RESERVED_BYTES);
            }
        }
        if (needed > free) {
            throw new InvalidInputException("roles", "Cannot remove " + leaving.stream().map(ServiceNode::id).toList()
                    + ": its chunks (" + (needed >> 20) + " MB) do not fit in the " + (free >> 20)
                    + " MB free on the other OSDs; add an OSD or delete files first");
        }
    }

    void drain(ServiceNode node) {
        manager.context.log().info("draining the OSD of " + node.id() + ": its chunks are copied to the others");
        manager.context.agents().call(node, XtreemfsOperations.MARK_FOR_REMOVAL, Map.of());
        long start = System.nanoTime();
        XtreemfsManager.sleep(SETTLE_MILLIS);
        int cleanInARow = 0;
        while (cleanInARow < 2) {
            if (System.nanoTime() - start > TIMEOUT_NANOS) {
                // the node stays: its folder serves as before
                manager.context.agents().call(node, XtreemfsOperations.MARK_FOR_REMOVAL,
                        Map.of(XtreemfsOperations.MARKED, false));
                throw new IllegalStateException("the OSD of " + node.id() + " was not drained within "
                        + TIMEOUT_NANOS / 60_000_000_000L + " minutes: " + health());
            }
            Map<?, ?> health = health();
            boolean clean = number(health.get("missing")) == 0 && number(health.get("endangered")) == 0
                    && number(health.get("undergoal")) == 0 && !health.isEmpty();
            cleanInARow = clean ? cleanInARow + 1 : 0;
            XtreemfsManager.sleep(1_000);
        }
        manager.context.log().info("the OSD of " + node.id() + " is drained: no chunk needs it any more");
    }

    private Map<?, ?> health() {
        Object answer = manager.context.agents().call(manager.dirNode(), XtreemfsOperations.CHUNK_HEALTH, Map.of());
        return answer instanceof Map<?, ?> m ? m : Map.of();
    }

    static long number(Object value) {
        return value instanceof Number n ? n.longValue() : 0;
    }
}
