package org.conpaas.cloud.openstack;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.conpaas.api.CloudException;
import org.conpaas.api.cloud.CloudCapability;
import org.conpaas.api.cloud.CloudNode;
import org.conpaas.api.cloud.CloudNodeState;
import org.conpaas.api.cloud.LaunchRequest;
import org.conpaas.api.cloud.NodeLaunch;
import org.conpaas.service.testing.cloud.openstack.OpenStackStub;
import org.junit.Rule;
import org.junit.Test;

/** What the contract does not cover: the cloud's refusals, servers that are not ours, floating addresses. */
public class OpenStackCloudDriverTest {

    private static final String KEEP_UP = "#!/bin/sh\nexec sleep 900\n";

    @Rule
    public final StubCloud cloud = new StubCloud();

    @Test
    public void aServerBeyondTheQuotaIsFailedWithNovasReasonAndTheOtherIsKept() throws Exception {
        cloud.stub().maxServers(1);
        OpenStackCloudDriver driver = cloud.driver(cloud.settings());
        List<CloudNode> nodes = launch(driver, "n1", "n2");

        List<CloudNode> failed = nodes.stream().filter(n -> n.state() == CloudNodeState.FAILED).toList();
        assertEquals(nodes.toString(), 1, failed.size());
        assertNull("Nova created no server for it", failed.get(0).vmId());
        assertTrue(failed.get(0).detail(), failed.get(0).detail().startsWith("cloud stack (OpenStack) refused to "
                + "launch a server (HTTP 403): Quota exceeded for instances"));
        assertEquals(1, cloud.stub().servers().size());
    }

    @Test
    public void anUnknownFlavorIsFailedWithNovasReason() throws Exception {
        OpenStackCloudDriver driver = cloud.driver(cloud.settings("m9.huge", OpenStackStub.DEFAULT_ACCOUNT
                .password(), OpenStackSettings.FloatingIpMode.NONE));
        CloudNode node = launch(driver, "n1").get(0);
        assertEquals(CloudNodeState.FAILED, node.state());
        assertEquals("cloud stack (OpenStack) refused to launch a server (HTTP 400): Flavor m9.huge could not be "
                + "found.", node.detail());
        assertEquals(List.of(), List.copyOf(cloud.stub().servers()));
    }

    @Test
    public void aServerDeletedBehindTheDriversBackIsForgottenAndItsTerminateIgnored() throws Exception {
        OpenStackCloudDriver driver = cloud.driver(cloud.settings());
        String vmId = launch(driver, "n1").get(0).vmId();
        cloud.stub().deleteServerBehindTheDriversBack(vmId);

        assertEquals(List.of(), driver.describe(List.of(vmId)));
        driver.terminate(List.of(vmId));
        assertTrue(driver.list().isEmpty());
        assertFalse("its machine was halted", cloud.hypervisor().machines().contains(vmId));
    }

    @Test
    public void serversOfOthersAreNeitherListedNorDescribedNorTerminated() throws Exception {
        OpenStackCloudDriver driver = cloud.driver(cloud.settings());
        String mine = launch(driver, "n1").get(0).vmId();
        String foreign = cloud.stub().createForeignServer("someone-elses", Map.of("conpaas:owner", "other-director",
                "conpaas:node", "node-1"));
        String untagged = cloud.stub().createForeignServer("web-1", Map.of());

        assertEquals(List.of(mine), driver.list().stream().map(CloudNode::vmId).toList());
        assertEquals(List.of(), driver.describe(List.of(foreign, untagged)));
        driver.terminate(List.of(foreign, untagged, mine));
        assertEquals(java.util.Set.of(foreign, untagged), cloud.stub().servers());
    }

    @Test
    public void theServerCarriesTheUserDataAndTheTagsAndRunsIt() throws Exception {
        OpenStackCloudDriver driver = cloud.driver(cloud.settings());
        CloudNode node = launch(driver, "n1").get(0);
        assertEquals(Map.of("conpaas:owner", "test-director", "conpaas:deployment", "test-deployment",
                "conpaas:node", "n1"), cloud.stub().serverMetadata(node.vmId()));
        assertEquals(5555, node.agentPort());
        assertTrue("the hypervisor runs its user data", cloud.hypervisor().isRunning(node.vmId()));
        CloudNode described = awaitRunning(driver, node.vmId());
        assertTrue(described.address(), described.address().startsWith("127.11."));
        assertEquals(java.util.Set.of(CloudCapability.VOLUMES), driver.capabilities());
    }

    @Test
    public void aPoolAddressIsAttachedDialledAndReleasedOnTerminate() throws Exception {
        OpenStackCloudDriver driver = cloud.driver(cloud.settings("m1.tiny", OpenStackStub.DEFAULT_ACCOUNT
                .password(), OpenStackSettings.FloatingIpMode.POOL));
        assertTrue(driver.capabilities().contains(CloudCapability.PUBLIC_ADDRESSES));
        CloudNode node = launch(driver, "n1").get(0);
        assertEquals(node.toString(), 1, cloud.stub().floatingAddresses().size());
        String floating = cloud.stub().floatingAddresses().get(0);
        assertEquals(floating, node.address());
        assertEquals(floating, awaitRunning(driver, node.vmId()).address());

        driver.terminate(List.of(node.vmId()));
        assertEquals(List.of(), cloud.stub().floatingAddresses());
        assertEquals(java.util.Set.of(), cloud.stub().servers());
    }

    @Test
    public void refusedCredentialsMakeTheCloudUnavailableWithTheReasonAndAreNeverLogged() throws Exception {
        String password = "Wr0ng-But-Secret-42";
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        OpenStackCloudDriver driver;
        CloudException refused;
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            driver = cloud.driver(cloud.settings("m1.tiny", password, OpenStackSettings.FloatingIpMode.NONE));
            driver.checkCredentials();
            refused = assertThrows(CloudException.class, () -> launch(driver, "n1"));
        } finally {
            System.setErr(err);
        }
        String reason = driver.unavailableReason();
        assertTrue(reason, reason.startsWith("cloud stack (OpenStack) refused the credentials"));
        assertEquals(reason, refused.getMessage());
        assertEquals("one sentence", 1, reason.split("\\. ").length);
        assertFalse(captured.toString(StandardCharsets.UTF_8).contains(password));
        assertFalse(reason.contains(password));
        assertFalse(driver.settingsForTest().toString().contains(password));
        assertEquals(List.of(), List.copyOf(cloud.stub().servers()));

        OpenStackCloudDriver good = cloud.driver(cloud.settings());
        good.checkCredentials();
        assertNull(good.unavailableReason());
    }

    @Test
    public void keystoneV2CloudsWorkToo() throws Exception {
        OpenStackCloudDriver refused = cloud.driver(cloud.settingsV2("wrong"));
        refused.checkCredentials();
        assertTrue(refused.unavailableReason(), refused.unavailableReason().startsWith(
                "cloud stack2 (OpenStack) refused the credentials"));

        OpenStackCloudDriver driver = cloud.driver(cloud.settingsV2(OpenStackStub.DEFAULT_ACCOUNT.password()));
        driver.checkCredentials();
        assertNull(driver.unavailableReason());
        CloudNode node = launch(driver, "n1").get(0);
        assertEquals(node.detail(), CloudNodeState.PENDING, node.state());
        assertTrue(awaitRunning(driver, node.vmId()).address().startsWith("127.11."));
        driver.terminate(List.of(node.vmId()));
        assertEquals(java.util.Set.of(), cloud.stub().servers());
    }

    private static List<CloudNode> launch(OpenStackCloudDriver driver, String... nodeIds) {
        List<NodeLaunch> nodes = java.util.Arrays.stream(nodeIds)
                .map(id -> new NodeLaunch(id, "test-" + id, "node", KEEP_UP)).toList();
        return driver.launch(new LaunchRequest("test-deployment", nodes, null));
    }

    private static CloudNode awaitRunning(OpenStackCloudDriver driver, String vmId) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            List<CloudNode> described = driver.describe(List.of(vmId));
            if (!described.isEmpty() && described.get(0).state() == CloudNodeState.RUNNING) {
                return described.get(0);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("server " + vmId + " not ACTIVE within 10 s");
    }
}
