package org.conpaas.cloud.local;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Ends the processes of terminated nodes: their process groups, and what still runs as their own accounts. */
final class NodeProcesses {

    private static final Logger LOG = LoggerFactory.getLogger(NodeProcesses.class);
    private static final long TERMINATE_GRACE_MILLIS = 5_000;
    private static final long KILL_WAIT_MILLIS = 2_000;

    private NodeProcesses() {
    }

    /**
     * TERM to every group, up to 5 s for them to end, then KILL to what is left; then KILL to every process still
     * running as a node's own account (one that left the node's process group with setsid, say).
     */
    static void stop(List<NodeRecord> records, String cloud) {
        stopGroups(records, cloud);
        for (NodeRecord record : records) {
            if (record.ownAccount()) {
                List<Long> stragglers = ProcessTable.processesOf(record.uid());
                if (!stragglers.isEmpty()) {
                    LOG.info("cloud {}: killing {} process(es) of node {} outside its process group: {}", cloud,
                            stragglers.size(), record.vmId(), stragglers);
                    stragglers.forEach(ProcessTable::kill);
                }
            }
        }
    }

    private static void stopGroups(List<NodeRecord> records, String cloud) {
        List<NodeRecord> alive = records.stream().filter(r -> !ownedLiveMembers(r).isEmpty()).toList();
        alive.forEach(r -> ProcessTable.signalGroup(r.pid(), "TERM"));
        List<NodeRecord> survivors = awaitEnd(alive, TERMINATE_GRACE_MILLIS);
        if (!survivors.isEmpty()) {
            survivors.forEach(r -> {
                LOG.warn("cloud {}: node {} did not stop within {} ms; killing process group {}", cloud,
                        r.vmId(), TERMINATE_GRACE_MILLIS, r.pid());
                ProcessTable.signalGroup(r.pid(), "KILL");
            });
            awaitEnd(survivors, KILL_WAIT_MILLIS)
                    .forEach(r -> LOG.error("cloud {}: process group {} of node {} survived KILL", cloud, r.pid(),
                            r.vmId()));
        }
    }

    private static List<NodeRecord> awaitEnd(List<NodeRecord> records, long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        List<NodeRecord> remaining = records;
        while (!remaining.isEmpty()) {
            remaining = remaining.stream().filter(r -> !ownedLiveMembers(r).isEmpty()).toList();
            if (remaining.isEmpty() || System.nanoTime() > deadline) {
                break;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return remaining;
    }

    /**
     * The live processes of a node's group. If the recorded pid now belongs to another process, the group number may
     * have been reused too, so nothing is ours; processes started before the node are never ours either.
     */
    private static List<ProcessTable.ProcessStat> ownedLiveMembers(NodeRecord record) {
        if (record.startTicks() < 0) {
            return List.of(); // never saw it run: cannot tell our group from a later one
        }
        var leader = ProcessTable.stat(record.pid());
        if (leader.isPresent() && leader.get().startTicks() != record.startTicks()) {
            return List.of();
        }
        return ProcessTable.liveGroupMembers(record.pid()).stream()
                .filter(p -> p.startTicks() >= record.startTicks())
                .toList();
    }
}
