package org.conpaas.cloud.local;

import java.nio.file.Path;
import org.junit.Rule;
import org.junit.rules.ExternalResource;

/**
 * The driver contract on the local cloud in the namespace mode (root, as CI runs it): every node in a network
 * namespace of its own on a bridge of the test's own, in a subnet of 198.19.0.0/16 drawn at random. The refusing
 * cloud's /30 has one node address for two nodes. Fails, never skips, where namespaces cannot be made.
 */
public class NamespaceLocalCloudDriverContractTest extends LocalCloudDriverContractTest {

    private final NamespaceTestNetwork network = new NamespaceTestNetwork();

    @Override
    protected LocalCloudSettings settings(String range, Path dataDir, boolean refusing) {
        return LocalCloudSettings.inNamespaces("contract", refusing ? network.refusing() : network.main(), port(),
                dataDir, Path.of(System.getProperty("java.home")), "",
                NodeAccounts.UidRange.parse("2001000000-2001999999"));
    }

    /**
     * After every @After (the contract's terminates the machines after the drivers were closed): closing the drivers
     * again, as a director's next stop would, leaves no namespace, veth or bridge of the test's.
     */
    @Rule
    public ExternalResource nothingLeft = new ExternalResource() {
        @Override
        protected void after() {
            network.assertNothingLeftAfter(NamespaceLocalCloudDriverContractTest.this::closeDrivers);
        }
    };
}
