package org.conpaas.service.xtreemfs;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;
import org.conpaas.api.ConflictException;
import org.conpaas.api.InvalidInputException;
import org.conpaas.api.NotFoundException;
import org.conpaas.api.service.ServiceNode;
import org.conpaas.service.testing.FakeServiceContext;
import org.junit.Before;
import org.junit.Test;

/** The manager's rules, against recorded agent calls (XtreemfsIT runs the real MooseFS). */
public class XtreemfsManagerTest {

    private FakeServiceContext context;
    private XtreemfsManager manager;
    /** What the master reports: address → [chunks, used, total]. */
    private Map<String, long[]> servers;

    @Before
    public void setUp() {
        context = new FakeServiceContext();
        context.nodes.add(new ServiceNode("node-1", "dir", "198.19.0.2", 5555, "ns", "v1"));
        context.nodes.add(new ServiceNode("node-2", "osd", "198.19.0.3", 5555, "ns", "v2"));
        servers = new java.util.LinkedHashMap<>(Map.of(
                "198.19.0.2", new long[] {2, 100L << 20, 1000L << 20},
                "198.19.0.3", new long[] {2, 100L << 20, 1000L << 20}));
        context.answers = (node, call) -> switch (call.operation()) {
            case XtreemfsOperations.CHUNKSERVERS -> Map.of("chunkservers", servers.entrySet().stream()
                    .map(e -> Map.<String, Object>of("address", e.getKey(), "chunks", e.getValue()[0],
                            "usedBytes", e.getValue()[1], "totalBytes", e.getValue()[2], "markedUsedBytes", 0L))
                    .toList());
            default -> Map.of();
        };
        manager = new XtreemfsManager(context, 1024);
    }

    @Test
    public void osdVolumeSizeIsTheServicesOwnAndAppliesToLaterNodes() throws Exception {
        assertEquals(1024, manager.nodeVolumeMb("osd"));
        assertEquals(1024, manager.nodeVolumeMb("dir"));
        assertEquals(0, manager.nodeVolumeMb("mrc"));
        manager.invoke("set_osd_size", Map.of("size", 512), Map.of());
        assertEquals(512, manager.nodeVolumeMb("osd"));
        assertEquals(512, new XtreemfsManager(context, 1024).nodeVolumeMb("osd"));
        assertThrows(InvalidInputException.class, () -> manager.invoke("set_osd_size", Map.of("size", 100), Map.of()));
    }

    @Test
    public void dirAndMrcNodesStay() {
        assertEquals("Cannot remove the DIR node.", assertThrows(InvalidInputException.class,
                () -> manager.checkRemoveNodes(Map.of("dir", 1))).getMessage());
        assertEquals("Cannot remove the MRC node.", assertThrows(InvalidInputException.class,
                () -> manager.checkRemoveNodes(Map.of("mrc", 1))).getMessage());
        assertThrows(InvalidInputException.class, () -> manager.checkAddNodes(Map.of("mrc", 1)));
        manager.checkAddNodes(Map.of("osd", 3));
    }

    @Test
    public void anOsdWhoseChunksDoNotFitElsewhereStays() {
        manager.checkRemoveNodes(Map.of("osd", 1));
        servers.put("198.19.0.3", new long[] {20, 990L << 20, 1000L << 20});
        servers.put("198.19.0.2", new long[] {2, 900L << 20, 1000L << 20});
        String refusal = assertThrows(InvalidInputException.class,
                () -> manager.checkRemoveNodes(Map.of("osd", 1))).getMessage();
        assertTrue(refusal, refusal.contains("do not fit"));
    }

    @Test
    public void volumesAreCheckedBeforeAnythingChanges() throws Exception {
        manager.invoke("createVolume", Map.of("volumeName", "data", "owner", "alice"), Map.of());
        assertEquals("198.19.0.2", context.published.get("XTREEMFS_MASTER"));
        assertEquals("data", context.published.get("XTREEMFS_VOLUMES"));
        assertEquals(24, context.published.get("XTREEMFS_PASSWORD_DATA").length());
        assertEquals(List.of("make_volume", "set_exports"), context.callSequence().stream()
                .filter(c -> !c.contains("chunkservers")).map(c -> c.substring(c.indexOf(':') + 1)).toList());
        long changes = changingCalls();
        assertThrows(InvalidInputException.class,
                () -> manager.invoke("createVolume", Map.of("volumeName", "../x"), Map.of()));
        assertThrows(InvalidInputException.class,
                () -> manager.invoke("createVolume", Map.of("volumeName", ".hidden"), Map.of()));
        assertThrows(ConflictException.class,
                () -> manager.invoke("createVolume", Map.of("volumeName", "data"), Map.of()));
        assertThrows(NotFoundException.class,
                () -> manager.invoke("deleteVolume", Map.of("volumeName", "other"), Map.of()));
        assertThrows(InvalidInputException.class, () -> manager.invoke("set_replication_policy",
                Map.of("volumeName", "data", "policy", "WaR1", "factor", 2), Map.of()));
        assertThrows(ConflictException.class, () -> manager.invoke("set_striping_policy",
                Map.of("volumeName", "data", "policy", "RAID0"), Map.of()));
        assertEquals("no node changed for refused input", changes, changingCalls());
        // a volume with two copies needs two OSDs to stay
        manager.invoke("set_replication_policy", Map.of("volumeName", "data", "policy", "goal", "factor", 2),
                Map.of());
        assertThrows(InvalidInputException.class, () -> manager.checkRemoveNodes(Map.of("osd", 1)));
    }

    private long changingCalls() {
        return context.calls.stream().filter(c -> !c.operation().equals(XtreemfsOperations.CHUNKSERVERS)).count();
    }
}
