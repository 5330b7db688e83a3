package org.conpaas.itests;

import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.util.concurrent.ThreadLocalRandom;
import org.ops4j.pax.exam.Option;

/**
 * A second local cloud, {@code ns}, in namespace mode, for ITs whose nodes need addresses of their own: a bridge of a
 * random name and a random /24 in 198.19.0.0/16, so parallel runs do not collide. The test reads both back inside the
 * container from {@link #BRIDGE_PROPERTY} and {@link #SUBNET_PROPERTY} (the subnet as {@code 198.19.x.}).
 */
final class NamespaceItCloud {

    static final String NAME = "ns";
    static final String BRIDGE_PROPERTY = "conpaas.itest.nsBridge";
    static final String SUBNET_PROPERTY = "conpaas.itest.nsSubnet";

    private NamespaceItCloud() {
    }

    /** {@code bridgePrefix}: five letters naming the test's bridges, e.g. {@code cpsit}. */
    static Option[] options(String bridgePrefix) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String bridge = String.format("%s%04x", bridgePrefix, random.nextInt(0x10000));
        String net = "198.19." + random.nextInt(1, 251) + ".";
        String cfg = "etc/org.conpaas.cloud.local-" + NAME + ".cfg";
        return new Option[] {
            editConfigurationFilePut(cfg, "name", NAME),
            editConfigurationFilePut(cfg, "network", "namespace"),
            editConfigurationFilePut(cfg, "bridge", bridge),
            editConfigurationFilePut(cfg, "bridgeAddress", net + "1/24"),
            // below data/cloud-local: the director's file-mode guard closes every other folder of data/
            editConfigurationFilePut(cfg, "dataDir", "${karaf.data}/cloud-local/" + NAME),
            systemProperty(BRIDGE_PROPERTY).value(bridge),
            systemProperty(SUBNET_PROPERTY).value(net)};
    }
}
