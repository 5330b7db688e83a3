package org.conpaas.cloud.openstack;

import java.time.Duration;
import org.conpaas.api.cloud.CloudDriver;
import org.conpaas.service.testing.cloud.CloudDriverContract;
import org.junit.Rule;

/**
 * The driver contract against the in-test OpenStack (Keystone v3, Nova, Neutron, Glance, Cinder), each server's user
 * data run by the hypervisor. The refusing driver asks for a flavor Nova does not know.
 */
public class OpenStackDriverContractTest extends CloudDriverContract {

    @Rule
    public final StubCloud cloud = new StubCloud();

    private CloudDriver driver;

    @Override
    protected CloudDriver driver() {
        if (driver == null) {
            driver = cloud.driver(cloud.settings());
        }
        return driver;
    }

    @Override
    protected CloudDriver refusingDriver() {
        return cloud.driver(cloud.settings("m9.nonexistent", org.conpaas.service.testing.cloud.openstack.OpenStackStub.DEFAULT_ACCOUNT.password(),
                OpenStackSettings.FloatingIpMode.NONE));
    }

    @Override
    protected Duration startTimeout() {
        return Duration.ofSeconds(20);
    }
}
