package org.conpaas.cloud.ec2;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.conpaas.service.testing.cloud.ec2.MotoEc2;

/** One moto (with its machine watcher) per test class, and the drivers a test made on it, closed at the end. */
final class MotoFixture implements AutoCloseable {

    private final MotoEc2 cloud;
    private final List<Ec2CloudDriver> drivers = new CopyOnWriteArrayList<>();

    MotoFixture() throws Exception {
        Path dir = Paths.get(System.getProperty("conpaas.test.dir", "target"), "moto");
        this.cloud = MotoEc2.start(dir);
    }

    MotoEc2 cloud() {
        return cloud;
    }

    /** The settings of a cloud on moto, with changes. */
    Map<String, String> settings(String name, Map<String, String> changes) {
        Map<String, String> settings = new HashMap<>(cloud.cloudSettings(name));
        settings.putAll(changes);
        return settings;
    }

    Ec2CloudDriver driver(String name, Map<String, String> changes) {
        Ec2CloudDriver driver = new Ec2CloudDriver(ConfigValues.of(settings(name, changes)));
        drivers.add(driver);
        return driver;
    }

    @Override
    public void close() {
        try {
            drivers.forEach(Ec2CloudDriver::deactivate);
        } finally {
            cloud.close();
        }
    }
}
