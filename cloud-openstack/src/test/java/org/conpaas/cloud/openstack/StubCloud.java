package org.conpaas.cloud.openstack;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.conpaas.service.testing.cloud.MachineHypervisor;
import org.conpaas.service.testing.cloud.openstack.OpenStackStub;
import org.junit.rules.ExternalResource;

/**
 * A test's OpenStack: the stub on 127.0.0.1 with a hypervisor that runs each server's user data, and drivers
 * configured for it. As a rule it outlives the tests' own clean-up ({@code @After}), and ends every machine.
 */
final class StubCloud extends ExternalResource {

    private Path root;
    private MachineHypervisor hypervisor;
    private OpenStackStub stub;
    private final List<OpenStackCloudDriver> drivers = new ArrayList<>();

    @Override
    protected void before() throws Throwable {
        root = Files.createTempDirectory("openstack-stub");
        hypervisor = new MachineHypervisor(root);
        stub = new OpenStackStub(OpenStackStub.DEFAULT_ACCOUNT, hypervisor, Duration.ofMillis(300));
    }

    @Override
    protected void after() {
        drivers.forEach(OpenStackCloudDriver::close);
        if (stub != null) {
            stub.close();
        }
        if (hypervisor != null) {
            hypervisor.close();
        }
        deleteQuietly(root);
    }

    OpenStackStub stub() {
        return stub;
    }

    MachineHypervisor hypervisor() {
        return hypervisor;
    }

    /** The settings of a cloud named "stack" on the stub, by names: image, flavor and network are looked up. */
    OpenStackSettings settings() {
        return settings("m1.tiny", OpenStackStub.DEFAULT_ACCOUNT.password(), OpenStackSettings.FloatingIpMode.NONE);
    }

    OpenStackSettings settings(String flavor, String password, OpenStackSettings.FloatingIpMode floatingIp) {
        OpenStackStub.Account a = OpenStackStub.DEFAULT_ACCOUNT;
        return new OpenStackSettings("stack", URI.create(stub.authUrl()), 3, a.user(), password, a.userDomain(),
                a.project(), a.projectDomain(), OpenStackStub.REGION, "debian-12-conpaas", flavor, "private",
                "conpaas-admin", List.of("default", "conpaas-agent"), floatingIp,
                floatingIp == OpenStackSettings.FloatingIpMode.POOL ? "public" : "", 5555, "test-director",
                Duration.ofSeconds(10), Duration.ofSeconds(20));
    }

    /** A cloud "stack2" on the stub's Keystone v2.0, with ids for image and network (no lookup by name). */
    OpenStackSettings settingsV2(String password) {
        OpenStackStub.Account a = OpenStackStub.DEFAULT_ACCOUNT;
        return new OpenStackSettings("stack2", URI.create(stub.authUrlV2()), 2, a.user(), password, "Default",
                a.project(), "Default", "", "5b1a7c2e-0d3f-4e8a-9b6c-1d2e3f4a5b6c", "1",
                "2f0c6a3e-7b8d-4c1e-9a2f-3b4c5d6e7f80", "", List.of("default"), OpenStackSettings.FloatingIpMode.NONE,
                "", 5555, "test-director", Duration.ofSeconds(10), Duration.ofSeconds(20));
    }

    OpenStackCloudDriver driver(OpenStackSettings settings) {
        OpenStackCloudDriver driver = new OpenStackCloudDriver(settings, Duration.ofMillis(100));
        drivers.add(driver);
        return driver;
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            // a temporary folder left behind is harmless
        }
    }
}
