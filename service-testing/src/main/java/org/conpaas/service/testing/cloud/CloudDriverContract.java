package org.conpaas.service.testing.cloud;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.conpaas.api.UnsupportedCapabilityException;
import org.conpaas.api.cloud.CloudCapability;
import org.conpaas.api.cloud.CloudDriver;
import org.conpaas.api.cloud.CloudNode;
import org.conpaas.api.cloud.CloudNodeState;
import org.conpaas.api.cloud.CloudVolume;
import org.conpaas.api.cloud.LaunchRequest;
import org.conpaas.api.cloud.NodeLaunch;
import org.junit.After;
import org.junit.Test;

/**
 * What the director relies on from every {@link CloudDriver}. A driver's test extends this class and says how to make
 * its driver; the tests then launch real machines of that cloud (and terminate them, also when a test fails):
 * <ul>
 * <li>launch answers one node per requested node, tells the listener each machine id before it returns, and reports
 * the agent's port;</li>
 * <li>describe and list find a launched machine until it is terminated; unknown machine ids are ignored;</li>
 * <li>a launch the cloud refuses is reported {@link CloudNodeState#FAILED} with the cloud's reason, without a
 * rollback of the other nodes (the director releases the batch);</li>
 * <li>volumes are created, attached, detached and deleted where the driver declares
 * {@link CloudCapability#VOLUMES}, and refused with {@link UnsupportedCapabilityException} where it does not.</li>
 * </ul>
 * The machines boot from {@link #userData}: a script that keeps them up, no agent (the user-data contract of
 * {@link NodeLaunch} is the director's, tested with the director).
 */
public abstract class CloudDriverContract {

    private final Map<CloudDriver, Set<String>> machines = new ConcurrentHashMap<>();
    private final List<CloudDriver> volumeDrivers = new CopyOnWriteArrayList<>();
    private final List<String> volumes = new CopyOnWriteArrayList<>();

    /** The driver under test, ready to launch; may be the same for every call of one test. */
    protected abstract CloudDriver driver() throws Exception;

    /**
     * A driver of the same cloud that the cloud refuses to launch at least one of two nodes for (an unknown image, no
     * quota left, an exhausted address range...).
     */
    protected abstract CloudDriver refusingDriver() throws Exception;

    /** The boot script of the test machines: keeps them running for the length of a test. */
    protected String userData(String nodeId) {
        return "#!/bin/sh\n# contract test node " + nodeId + "\nexec sleep 900\n";
    }

    /** How long a machine of this cloud may take to be RUNNING with an address. */
    protected Duration startTimeout() {
        return Duration.ofMinutes(3);
    }

    /** A machine id this cloud never gave (in its format where it checks one). */
    protected String unknownVmId() {
        return "conpaas-contract-unknown-00000000";
    }

    @After
    public final void releaseEverything() throws Exception {
        List<Throwable> problems = new ArrayList<>();
        for (String volume : volumes) {
            for (CloudDriver driver : volumeDrivers) {
                try {
                    driver.detachVolume(volume);
                    driver.deleteVolume(volume);
                } catch (RuntimeException e) {
                    problems.add(e);
                }
            }
        }
        for (Map.Entry<CloudDriver, Set<String>> e : machines.entrySet()) {
            try {
                e.getKey().terminate(e.getValue());
            } catch (RuntimeException ex) {
                problems.add(ex);
            }
        }
        if (!problems.isEmpty()) {
            AssertionError error = new AssertionError("cleaning up after the test failed: " + problems.get(0));
            problems.forEach(error::addSuppressed);
            throw error;
        }
    }

    @Test
    public void launchAnswersEachNodeAndTellsEachMachineIdBeforeItReturns() throws Exception {
        CloudDriver driver = driver();
        AtomicBoolean returned = new AtomicBoolean();
        Map<String, String> told = new ConcurrentHashMap<>();
        List<String> toldLate = new CopyOnWriteArrayList<>();
        List<CloudNode> nodes = launch(driver, List.of("contract-1", "contract-2"), (nodeId, vmId) -> {
            told.put(nodeId, vmId);
            if (returned.get()) {
                toldLate.add(nodeId);
            }
        }, returned);

        assertEquals(List.of("contract-1", "contract-2"), nodes.stream().map(CloudNode::nodeId).toList());
        for (CloudNode node : nodes) {
            assertFalse(node.detail(), node.state() == CloudNodeState.FAILED);
            assertNotNull(node.vmId());
            assertEquals("the listener heard of " + node.nodeId(), node.vmId(), told.get(node.nodeId()));
            assertTrue("the agent's port", node.agentPort() > 0 && node.agentPort() < 65536);
        }
        assertEquals(2, new HashSet<>(told.values()).size());
        assertEquals("told after launch returned", List.of(), toldLate);
    }

    @Test
    public void describeAndListFindAMachineUntilItIsTerminated() throws Exception {
        CloudDriver driver = driver();
        CloudNode node = launch(driver, List.of("contract-1"), (n, v) -> { }, new AtomicBoolean()).get(0);
        String vmId = node.vmId();
        awaitTrue("machine " + vmId + " RUNNING with an address", () -> describe(driver, vmId)
                .map(d -> d.state() == CloudNodeState.RUNNING && d.address() != null).orElse(false));
        CloudNode described = describe(driver, vmId).orElseThrow();
        assertEquals("contract-1", described.nodeId());
        assertEquals(node.agentPort(), described.agentPort());
        assertTrue("list holds " + vmId, driver.list().stream().anyMatch(n -> n.vmId().equals(vmId)
                && "contract-1".equals(n.nodeId())));

        driver.terminate(List.of(vmId));
        awaitTrue("machine " + vmId + " gone", () -> describe(driver, vmId)
                .map(d -> d.state() == CloudNodeState.TERMINATED).orElse(true));
        assertTrue(driver.list().stream().noneMatch(n -> n.vmId().equals(vmId)
                && n.state() != CloudNodeState.TERMINATED));
        driver.terminate(List.of(vmId)); // again: now unknown, ignored
    }

    @Test
    public void unknownMachineIdsAreIgnored() throws Exception {
        CloudDriver driver = driver();
        assertEquals(List.of(), driver.describe(List.of(unknownVmId())));
        driver.terminate(List.of(unknownVmId()));
        driver.terminate(List.of());
        assertEquals(List.of(), driver.describe(List.of()));
    }

    @Test
    public void aLaunchTheCloudRefusesIsReportedFailedWithTheCloudsReason() throws Exception {
        CloudDriver driver = refusingDriver();
        List<CloudNode> nodes = launch(driver, List.of("contract-1", "contract-2"), (n, v) -> { },
                new AtomicBoolean());
        assertEquals(List.of("contract-1", "contract-2"), nodes.stream().map(CloudNode::nodeId).toList());
        List<CloudNode> failed = nodes.stream().filter(n -> n.state() == CloudNodeState.FAILED).toList();
        assertFalse("at least one node is FAILED: " + nodes, failed.isEmpty());
        for (CloudNode node : failed) {
            assertTrue("the cloud's reason: " + node, node.detail() != null && !node.detail().isBlank());
        }
        for (CloudNode node : nodes) {
            if (node.state() != CloudNodeState.FAILED) {
                assertTrue("a driver never rolls back the others: " + node, describe(driver, node.vmId())
                        .map(d -> d.state() != CloudNodeState.TERMINATED).orElse(false));
            }
        }
    }

    @Test
    public void volumesAreCreatedAttachedDetachedAndDeletedWhereTheCloudHasThem() throws Exception {
        CloudDriver driver = driver();
        if (!driver.capabilities().contains(CloudCapability.VOLUMES)) {
            assertThrows(UnsupportedCapabilityException.class, () -> driver.createVolume("contract", 16));
            assertThrows(UnsupportedCapabilityException.class, () -> driver.attachVolume("v", "m"));
            assertThrows(UnsupportedCapabilityException.class, () -> driver.deleteVolume("v"));
            return;
        }
        volumeDrivers.add(driver);
        CloudVolume volume = driver.createVolume("contract-volume", 16);
        volumes.add(volume.id());
        assertEquals("contract-volume", volume.name());
        assertTrue(volume.sizeMb() >= 16);
        assertEquals(null, volume.attachedTo());

        CloudNode node = launch(driver, List.of("contract-1"), (n, v) -> { }, new AtomicBoolean()).get(0);
        awaitTrue("machine " + node.vmId() + " RUNNING", () -> describe(driver, node.vmId())
                .map(d -> d.state() == CloudNodeState.RUNNING).orElse(false));
        CloudVolume attached = driver.attachVolume(volume.id(), node.vmId());
        assertEquals(volume.id(), attached.id());
        assertEquals(node.vmId(), attached.attachedTo());
        assertNotNull("the device the node finds it at", attached.device());

        driver.detachVolume(volume.id());
        driver.deleteVolume(volume.id());
        volumes.remove(volume.id());
        driver.deleteVolume(volume.id()); // again: unknown, ignored
    }

    private List<CloudNode> launch(CloudDriver driver, List<String> nodeIds,
            org.conpaas.api.cloud.LaunchListener listener, AtomicBoolean returned) {
        Set<String> ids = machines.computeIfAbsent(driver, d -> ConcurrentHashMap.newKeySet());
        List<NodeLaunch> launches = nodeIds.stream()
                .map(id -> new NodeLaunch(id, "contract-" + id, "node", userData(id))).toList();
        List<CloudNode> nodes;
        try {
            nodes = driver.launch(new LaunchRequest("contract", launches, (nodeId, vmId) -> {
                ids.add(vmId); // terminated after the test, whatever happens
                listener.machineCreated(nodeId, vmId);
            }));
        } finally {
            returned.set(true);
        }
        nodes.stream().map(CloudNode::vmId).filter(v -> v != null).forEach(ids::add);
        return nodes;
    }

    private static Optional<CloudNode> describe(CloudDriver driver, String vmId) {
        return driver.describe(List.of(vmId)).stream().filter(n -> vmId.equals(n.vmId())).findFirst();
    }

    private void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + startTimeout().toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " not within " + startTimeout().toSeconds() + " s");
            }
            Thread.sleep(200);
        }
    }
}
