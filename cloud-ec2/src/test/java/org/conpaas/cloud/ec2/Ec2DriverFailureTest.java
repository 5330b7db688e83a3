package org.conpaas.cloud.ec2;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import org.conpaas.api.CloudException;
import org.conpaas.api.cloud.CloudNode;
import org.conpaas.api.cloud.CloudNodeState;
import org.conpaas.api.cloud.LaunchRequest;
import org.conpaas.api.cloud.NodeLaunch;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import software.amazon.awssdk.services.ec2.model.Filter;

/**
 * What goes wrong, against moto: a configuration the cloud refuses (credentials, instance type, security group)
 * leaves the cloud unavailable with one sentence; terminating gone machines is quiet; list() sees only this
 * director's cloud; and a launched machine really boots from its user data and halts on terminate.
 */
public class Ec2DriverFailureTest {

    private static MotoFixture moto;

    @BeforeClass
    public static void startMoto() throws Exception {
        moto = new MotoFixture();
    }

    @AfterClass
    public static void stopMoto() {
        if (moto != null) {
            moto.close();
        }
    }

    @Test
    public void refusedCredentialsLeaveTheCloudUnavailableWithTheReasonAndNoSecret() {
        String secret = "Wrong/Secret+Key0123456789abcdefghijklmn";
        Ec2CloudDriver driver = moto.driver("aws-wrong", Map.of("secretAccessKey", secret));
        String reason = driver.unavailableReason();
        assertNotNull("unavailable", reason);
        assertTrue(reason, reason.startsWith("cloud aws-wrong (EC2 us-east-1 at http://127.0.0.1:"));
        assertTrue(reason, reason.contains(" refused the credentials to "));
        assertFalse(reason, reason.contains(secret));
        assertFalse(reason, reason.contains("\n"));
        CloudException launch = assertThrows(CloudException.class, () -> driver.launch(new LaunchRequest("d",
                List.of(new NodeLaunch("n-1", "n-1", "node", "#!/bin/sh\n")), null)));
        assertEquals(reason, launch.getMessage());
        assertThrows(CloudException.class, driver::list);
        assertEquals("ec2", driver.type());
        assertEquals("aws-wrong", driver.name());

        Ec2CloudDriver unknownKey = moto.driver("aws-unknown", Map.of("accessKeyId", "AKIAUNKNOWN000000000"));
        assertTrue(unknownKey.unavailableReason(), unknownKey.unavailableReason().contains("refused the credentials"));
    }

    @Test
    public void anInstanceTypeTheRegionDoesNotOfferIsRefusedAtConfiguration() {
        Ec2CloudDriver driver = moto.driver("aws-types", Map.of("roleInstanceTypes", "backend=z9.huge"));
        assertEquals("cloud aws-types (EC2 us-east-1 at " + moto.cloud().moto().endpoint()
                + ") does not offer the instance type(s) z9.huge in region us-east-1", driver.unavailableReason());
    }

    @Test
    public void aMissingSecurityGroupIsCreatedOnlyWhenAllowedWithTheAgentsAndServicesPorts() {
        Ec2CloudDriver refused = moto.driver("aws-nogroup", Map.of("securityGroup", "conpaas-missing",
                "createSecurityGroup", "false"));
        assertTrue(refused.unavailableReason(), refused.unavailableReason().endsWith(
                "has no security group conpaas-missing (set createSecurityGroup = true to have it created)"));

        Ec2CloudDriver created = moto.driver("aws-group", Map.of("securityGroup", "conpaas-created",
                "agentPort", "5566"));
        assertNull(created.unavailableReason());
        var group = moto.cloud().ec2().describeSecurityGroups(r -> r.filters(Filter.builder().name("group-name")
                .values("conpaas-created").build())).securityGroups().get(0);
        Set<Integer> ports = new TreeSet<>();
        group.ipPermissions().forEach(p -> ports.add(p.fromPort()));
        assertEquals(Set.of(80, 443, 5566, 8000), ports);
        // a second cloud with the same group finds it instead of creating another
        assertNull(moto.driver("aws-group-2", Map.of("securityGroup", "conpaas-created")).unavailableReason());
    }

    @Test
    public void terminatingMachinesThatAreGoneOrUnknownIsQuiet() throws Exception {
        Ec2CloudDriver driver = moto.driver("aws-gone", Map.of());
        CloudNode node = launch(driver, "gone-1");
        driver.terminate(List.of(node.vmId()));
        driver.terminate(List.of(node.vmId()));
        driver.terminate(List.of(node.vmId(), "i-0123456789abcdef0", "not-an-instance-id"));
        assertEquals(List.of(), driver.describe(List.of("i-0123456789abcdef0", "not-an-instance-id")));
    }

    @Test
    public void listFindsOnlyThisCloudsMachinesAndNotAnotherDirectorsNorAnotherClouds() throws Exception {
        Ec2CloudDriver ours = moto.driver("aws-list", Map.of());
        Ec2CloudDriver otherCloud = moto.driver("aws-list-other", Map.of());
        Ec2CloudDriver otherDirector = moto.driver("aws-list", Map.of("owner", "another-director"));
        CloudNode mine = launch(ours, "list-1");
        CloudNode theirs = launch(otherDirector, "list-2");
        CloudNode other = launch(otherCloud, "list-3");
        try {
            assertEquals(List.of(mine.vmId()), ours.list().stream().map(CloudNode::vmId).toList());
            assertEquals("list-1", ours.list().get(0).nodeId());
            // terminate leaves another director's machine alone even when asked
            ours.terminate(List.of(theirs.vmId()));
            assertEquals(CloudNodeState.RUNNING, otherDirector.describe(List.of(theirs.vmId())).get(0).state());
        } finally {
            ours.terminate(List.of(mine.vmId()));
            otherDirector.terminate(List.of(theirs.vmId()));
            otherCloud.terminate(List.of(other.vmId()));
        }
        assertEquals(List.of(), ours.list());
    }

    @Test
    public void aVolumeThatIsNotThisDirectorsIsLeftAlone() {
        Ec2CloudDriver driver = moto.driver("aws-volumes", Map.of());
        var ec2 = moto.cloud().ec2();
        String foreign = ec2.createVolume(r -> r.availabilityZone("us-east-1a").size(1)).volumeId();
        try {
            CloudException refused = assertThrows(CloudException.class, () -> driver.deleteVolume(foreign));
            assertTrue(refused.getMessage(), refused.getMessage().endsWith("holds volume " + foreign
                    + ", but it is not this director's: left alone"));
            assertEquals(1, ec2.describeVolumes(r -> r.volumeIds(foreign)).volumes().size());
            driver.deleteVolume("vol-0123456789abcdef0"); // unknown: ignored
        } finally {
            ec2.deleteVolume(r -> r.volumeId(foreign));
        }
    }

    @Test
    public void aMachineBootsFromItsUserDataOnItsAddressAndHaltsWhenTerminated() throws Exception {
        Ec2CloudDriver driver = moto.driver("aws-boot", Map.of());
        var hypervisor = moto.cloud().watcher().hypervisor();
        CloudNode node = launch(driver, "boot-1");
        try {
            await("machine " + node.vmId() + " booted", () -> hypervisor.isRunning(node.vmId()));
            await("its boot script ran on " + node.address(), () -> hypervisor.console(node.vmId())
                    .contains("booted on " + node.address()));
            assertTrue(node.address(), node.address().startsWith(moto.cloud().subnetCidr()
                    .substring(0, moto.cloud().subnetCidr().lastIndexOf('.') + 1)));
        } finally {
            driver.terminate(List.of(node.vmId()));
        }
        await("machine " + node.vmId() + " halted", () -> !hypervisor.isRunning(node.vmId()));
    }

    private static CloudNode launch(Ec2CloudDriver driver, String nodeId) {
        String userData = "#!/bin/sh\necho \"booted on $CONPAAS_AGENT_ADDRESS\"\nexec sleep 120\n";
        CloudNode node = driver.launch(new LaunchRequest("conpaas", List.of(new NodeLaunch(nodeId, nodeId, "node",
                userData)), null)).get(0);
        assertFalse(node.detail(), node.state() == CloudNodeState.FAILED);
        return node;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " not within 30 s; watcher: " + moto.cloud().watcher().lastProblem());
            }
            Thread.sleep(100);
        }
    }
}
