package org.conpaas.cloud.lxc;

import java.time.Duration;
import org.conpaas.api.cloud.CloudDriver;
import org.conpaas.service.testing.cloud.CloudDriverContract;
import org.junit.AfterClass;
import org.junit.BeforeClass;

/** The cloud driver contract on real containers (as root, as CI runs it; without root or lxc it fails). */
public class LxcDriverContractTest extends CloudDriverContract {

    @BeforeClass
    public static void startClean() throws Exception {
        LxcTestCloud.cleanUp();
    }

    @AfterClass
    public static void leaveNothing() throws Exception {
        LxcTestCloud.cleanUp();
    }

    @Override
    protected CloudDriver driver() {
        return LxcTestCloud.driver(LxcTestCloud.settings("contract", "198.18.0.130-198.18.0.140"));
    }

    /** One address for two nodes: the cloud refuses the second. */
    @Override
    protected CloudDriver refusingDriver() {
        return LxcTestCloud.driver(LxcTestCloud.settings("refusing", "198.18.0.141-198.18.0.141"));
    }

    @Override
    protected Duration startTimeout() {
        return Duration.ofSeconds(60);
    }
}
