package org.conpaas.itests;

import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.conpaas.service.testing.cloud.MachineHypervisor;
import org.conpaas.service.testing.cloud.openstack.OpenStackStub;
import org.ops4j.pax.exam.Option;

/**
 * The test runner's side of {@link OpenStackIT} (it never runs in the container): the in-test OpenStack on 127.0.0.1
 * with its hypervisor, which runs each server's user data (the director's real bootstrap) as a machine would, and the
 * container's configuration of two OpenStack clouds on it: {@code stack}, and {@code badstack} whose password the
 * cloud refuses. Both end with the runner's JVM, every machine still running with them.
 */
final class OpenStackItCloud {

    static final String STUB_PROPERTY = "conpaas.itest.openstack.stub";
    static final String MACHINES_PROPERTY = "conpaas.itest.openstack.machines";

    private OpenStackItCloud() {
    }

    static Option[] start() throws IOException {
        File target = new File(System.getProperty("conpaas.itest.dir", "target"));
        Path root = Files.createTempDirectory(target.toPath(), "openstack-machines-");
        Path disks = Files.createDirectories(root.resolve("disks"));
        MachineHypervisor hypervisor = new MachineHypervisor(root);
        OpenStackStub stub = new OpenStackStub(OpenStackStub.DEFAULT_ACCOUNT, hypervisor, Duration.ofMillis(500),
                disks);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stub.close();
            hypervisor.close();
            deleteQuietly(root); // the machines' folders hold their keys
        }, "openstack-stub-shutdown"));
        List<Option> options = new ArrayList<>();
        options.add(systemProperty(STUB_PROPERTY).value(stub.authUrl().replace("/identity/v3", "")));
        options.add(systemProperty(MACHINES_PROPERTY).value(root.toString()));
        options.addAll(cloud("stack", stub, OpenStackStub.DEFAULT_ACCOUNT.password()));
        options.addAll(cloud("badstack", stub, "not-the-password"));
        return options.toArray(new Option[0]);
    }

    private static void deleteQuietly(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // left in target/, removed by the next clean
        }
    }

    private static List<Option> cloud(String name, OpenStackStub stub, String password) {
        String file = "etc/org.conpaas.cloud.openstack-" + name + ".cfg";
        OpenStackStub.Account a = OpenStackStub.DEFAULT_ACCOUNT;
        return List.of(
                editConfigurationFilePut(file, "name", name),
                editConfigurationFilePut(file, "authUrl", stub.authUrl()),
                editConfigurationFilePut(file, "username", a.user()),
                editConfigurationFilePut(file, "password", password),
                editConfigurationFilePut(file, "project", a.project()),
                editConfigurationFilePut(file, "region", OpenStackStub.REGION),
                editConfigurationFilePut(file, "image", "debian-12-conpaas"),
                editConfigurationFilePut(file, "flavor", "m1.small"),
                editConfigurationFilePut(file, "network", "private"),
                editConfigurationFilePut(file, "securityGroups", "default,conpaas-agent"),
                editConfigurationFilePut(file, "owner", "itest-director"),
                editConfigurationFilePut(file, "waitSeconds", "30"));
    }
}
