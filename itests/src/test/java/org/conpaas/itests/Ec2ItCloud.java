package org.conpaas.itests;

import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.conpaas.service.testing.cloud.ec2.MotoEc2;
import org.ops4j.pax.exam.Option;

/**
 * The Maven JVM's side of {@link Ec2CloudIT} (never loaded in the container): moto with its machine watcher, started
 * when Pax Exam asks for the container's options and stopped when this JVM ends (machines halted, moto ended),
 * also after a failure; and the options that configure the distribution's EC2 clouds on it.
 */
final class Ec2ItCloud {

    static final String ENDPOINT_PROPERTY = "conpaas.itest.ec2.endpoint";
    static final String MACHINES_PROPERTY = "conpaas.itest.ec2.machines";
    static final String SUBNET_PROPERTY = "conpaas.itest.ec2.subnet";

    private static MotoEc2 cloud;

    private Ec2ItCloud() {
    }

    static synchronized List<Option> options() throws Exception {
        if (cloud == null) {
            cloud = MotoEc2.start(Paths.get(System.getProperty("conpaas.itest.dir", "target"), "ec2-it"));
            MotoEc2 started = cloud;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "ec2-it-cleanup"));
        }
        List<Option> options = new ArrayList<>();
        for (Map.Entry<String, String> e : cloud.cloudSettings("aws").entrySet()) {
            options.add(editConfigurationFilePut("etc/org.conpaas.cloud.ec2-aws.cfg", e.getKey(), e.getValue()));
        }
        // a second EC2 cloud whose credentials the cloud refuses: listed unavailable, the director unaffected
        for (Map.Entry<String, String> e : cloud.cloudSettings("aws-denied").entrySet()) {
            String value = e.getKey().equals("secretAccessKey") ? "Not/The+Right0Secret0Key0123456789abcdef"
                    : e.getValue();
            options.add(editConfigurationFilePut("etc/org.conpaas.cloud.ec2-aws-denied.cfg", e.getKey(), value));
        }
        options.add(systemProperty(ENDPOINT_PROPERTY).value(cloud.moto().endpoint().toString()));
        options.add(systemProperty(MACHINES_PROPERTY).value(cloud.machinesDir().toAbsolutePath().toString()));
        options.add(systemProperty(SUBNET_PROPERTY).value(cloud.subnetCidr()));
        return options;
    }
}
