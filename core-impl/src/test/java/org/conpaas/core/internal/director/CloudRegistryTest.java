package org.conpaas.core.internal.director;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.conpaas.api.cloud.CloudCapability;
import org.conpaas.api.cloud.CloudDriver;
import org.conpaas.api.cloud.CloudNode;
import org.conpaas.api.cloud.LaunchRequest;
import org.conpaas.api.model.CloudInfo;
import org.junit.Test;

/** The list of clouds shows a cloud that cannot be used, with its driver's reason, beside the usable ones. */
public class CloudRegistryTest {

    @Test
    public void anUnavailableCloudIsListedWithItsReason() {
        CloudRegistry registry = new CloudRegistry();
        registry.bindCloud(cloud("default", null));
        registry.bindCloud(cloud("lab", "cloud lab (OpenStack) refused the credentials."));

        List<CloudInfo> clouds = registry.all();
        assertEquals(List.of("default", "lab"), clouds.stream().map(CloudInfo::name).toList());
        assertTrue(clouds.get(0).available());
        assertFalse(clouds.get(1).available());
        assertEquals("cloud lab (OpenStack) refused the credentials.", clouds.get(1).unavailableReason());
        assertEquals(Set.of("VOLUMES"), clouds.get(1).capabilities());
    }

    private static CloudDriver cloud(String name, String unavailableReason) {
        return new CloudDriver() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String type() {
                return "test";
            }

            @Override
            public Set<CloudCapability> capabilities() {
                return Set.of(CloudCapability.VOLUMES);
            }

            @Override
            public String unavailableReason() {
                return unavailableReason;
            }

            @Override
            public List<CloudNode> launch(LaunchRequest request) {
                return List.of();
            }

            @Override
            public List<CloudNode> describe(Collection<String> vmIds) {
                return List.of();
            }

            @Override
            public List<CloudNode> list() {
                return List.of();
            }

            @Override
            public void terminate(Collection<String> vmIds) {
            }
        };
    }
}
