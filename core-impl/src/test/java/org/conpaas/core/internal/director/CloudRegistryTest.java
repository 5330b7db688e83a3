package org.conpaas.core.internal.director;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.conpaas.api.CloudException;
import org.conpaas.api.InvalidInputException;
import org.conpaas.api.cloud.CloudCapability;
import org.conpaas.api.cloud.CloudDriver;
import org.conpaas.api.cloud.CloudNode;
import org.conpaas.api.cloud.LaunchRequest;
import org.conpaas.api.model.CloudInfo;
import org.junit.Test;

/** A cloud whose configuration its cloud refused is listed with the reason and refused for launches. */
public class CloudRegistryTest {

    private static CloudDriver cloud(String name, String unavailableReason) {
        return new CloudDriver() {
            @Override public String name() { return name; }
            @Override public String type() { return "test"; }
            @Override public Set<CloudCapability> capabilities() { return Set.of(); }
            @Override public String unavailableReason() { return unavailableReason; }
            @Override public List<CloudNode> launch(LaunchRequest request) { throw new AssertionError("launched"); }
            @Override public List<CloudNode> describe(Collection<String> vmIds) { return List.of(); }
            @Override public List<CloudNode> list() { return List.of(); }
            @Override public void terminate(Collection<String> vmIds) { }
        };
    }

    @Test
    public void anUnavailableCloudIsListedWithItsReasonAndRefusedForLaunches() {
        CloudRegistry registry = new CloudRegistry();
        CloudDriver ok = cloud("default", null);
        registry.bindCloud(ok);
        registry.bindCloud(cloud("denied", "cloud denied (EC2 us-east-1) refused the credentials to check: no"));

        List<CloudInfo> all = registry.all();
        assertEquals(List.of("default", "denied"), all.stream().map(CloudInfo::name).toList());
        assertTrue(all.get(0).available());
        assertNull(all.get(0).reason());
        assertFalse(all.get(1).available());
        assertEquals("cloud denied (EC2 us-east-1) refused the credentials to check: no", all.get(1).reason());

        assertSame(ok, registry.requireAvailable(null));
        CloudException refused = assertThrows(CloudException.class, () -> registry.requireAvailable("denied"));
        assertEquals("cloud denied (EC2 us-east-1) refused the credentials to check: no", refused.getMessage());
        assertThrows(InvalidInputException.class, () -> registry.requireAvailable("nowhere"));
        // still found for releasing what it holds
        assertEquals("denied", registry.require("denied").name());
    }
}
