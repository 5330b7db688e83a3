package org.conpaas.cloud.local;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.conpaas.api.cloud.CloudDriver;
import org.conpaas.service.testing.cloud.CloudDriverContract;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.rules.TemporaryFolder;

/**
 * The driver contract on the local cloud as CI runs it (root): each node an account of its own. The refusing driver
 * has one address for two nodes.
 */
public class LocalCloudDriverContractTest extends CloudDriverContract {

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private final List<LocalCloudDriver> drivers = new ArrayList<>();
    private LocalCloudDriver driver;
    private int port;

    /** Whether nodes get accounts of their own (root) or a bubblewrap sandbox. */
    protected boolean separateAccounts() {
        return true;
    }

    @Before
    public void needsRoot() throws Exception {
        if (separateAccounts() && !NodeAccounts.directorIsRoot()) {
            throw new AssertionError("node accounts need root, as CI runs this test");
        }
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = free.getLocalPort();
        }
    }

    @After
    public void closeDrivers() {
        drivers.forEach(LocalCloudDriver::close);
    }

    @Override
    protected CloudDriver driver() throws Exception {
        if (driver == null) {
            driver = newDriver(settings("127.78.0.1-127.78.0.50", temp.newFolder("data").toPath(), false));
        }
        return driver;
    }

    @Override
    protected CloudDriver refusingDriver() throws Exception {
        return newDriver(settings("127.78.1.1-127.78.1.1", temp.newFolder("refusing").toPath(), true));
    }

    @Override
    protected String unknownVmId() {
        return "local-00000000";
    }

    /** The settings of the contract's cloud; {@code refusing}: one address for two nodes. */
    protected LocalCloudSettings settings(String range, Path dataDir, boolean refusing) {
        return new LocalCloudSettings("contract", AddressRange.parse(range), port, dataDir,
                Path.of(System.getProperty("java.home")), "", NodeAccounts.UidRange.parse("2001000000-2001999999"));
    }

    protected int port() {
        return port;
    }

    private LocalCloudDriver newDriver(LocalCloudSettings settings) {
        LocalCloudDriver created = new LocalCloudDriver(settings, separateAccounts());
        drivers.add(created);
        return created;
    }
}
