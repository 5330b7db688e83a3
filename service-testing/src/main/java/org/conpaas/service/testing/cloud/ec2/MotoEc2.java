package org.conpaas.service.testing.cloud.ec2;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * An EC2 "region" for tests: moto, a VPC with a subnet in 127.10.0.0/16 (a /24 drawn at random, so that instances
 * get loopback addresses no other test uses), one of moto's images, and the {@link Ec2MachineWatcher} that boots
 * the instances. {@link #cloudSettings} is the configuration of an EC2 cloud on it.
 */
public final class MotoEc2 implements AutoCloseable {

    public static final String REGION = "us-east-1";

    private final MotoServer moto;
    private final Ec2Client ec2;
    private final String subnetId;
    private final String subnetCidr;
    private final String imageId;
    private final Ec2MachineWatcher watcher;
    private final Path machinesDir;

    private MotoEc2(MotoServer moto, Ec2Client ec2, String subnetId, String subnetCidr, String imageId,
            Path machinesDir) {
        this.moto = moto;
        this.ec2 = ec2;
        this.subnetId = subnetId;
        this.subnetCidr = subnetCidr;
        this.imageId = imageId;
        this.machinesDir = machinesDir;
        this.watcher = new Ec2MachineWatcher(ec2, machinesDir);
    }

    /** Starts moto and the watcher; {@code workDir} holds moto's source and log and the machines' folders. */
    public static MotoEc2 start(Path workDir) throws IOException, InterruptedException {
        Files.createDirectories(workDir);
        MotoServer moto = MotoServer.start(workDir);
        Ec2Client ec2 = null;
        try {
            ec2 = Ec2Client.builder().endpointOverride(moto.endpoint()).region(Region.of(REGION))
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                            moto.accessKeyId(), moto.secretAccessKey())))
                    .httpClient(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(30)).build())
                    .build();
            String vpcId = ec2.createVpc(r -> r.cidrBlock("127.10.0.0/16")).vpc().vpcId();
            String cidr = "127.10." + ThreadLocalRandom.current().nextInt(1, 255) + ".0/24";
            String subnetId = ec2.createSubnet(r -> r.vpcId(vpcId).cidrBlock(cidr)
                    .availabilityZone(REGION + "a")).subnet().subnetId();
            String imageId = ec2.describeImages(r -> r.owners("amazon")).images().get(0).imageId();
            Path machines = Files.createDirectories(workDir.resolve("machines-" + System.nanoTime()));
            return new MotoEc2(moto, ec2, subnetId, cidr, imageId, machines);
        } catch (RuntimeException | Error e) {
            if (ec2 != null) {
                ec2.close();
            }
            moto.close();
            throw e;
        }
    }

    public MotoServer moto() {
        return moto;
    }

    /** A client of the emulator (the test's own view of the cloud). */
    public Ec2Client ec2() {
        return ec2;
    }

    public Ec2MachineWatcher watcher() {
        return watcher;
    }

    /** Where the machines' folders are ({@code <machinesDir>/<instance id>}): every process of a machine runs there. */
    public Path machinesDir() {
        return machinesDir;
    }

    public String subnetId() {
        return subnetId;
    }

    public String subnetCidr() {
        return subnetCidr;
    }

    public String imageId() {
        return imageId;
    }

    /** The configuration (as in {@code etc/org.conpaas.cloud.ec2-<name>.cfg}) of an EC2 cloud on this emulator. */
    public Map<String, String> cloudSettings(String name) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("name", name);
        settings.put("region", REGION);
        settings.put("endpoint", moto.endpoint().toString());
        settings.put("accessKeyId", moto.accessKeyId());
        settings.put("secretAccessKey", moto.secretAccessKey());
        settings.put("imageId", imageId);
        settings.put("instanceType", "t3.micro");
        settings.put("subnetId", subnetId);
        settings.put("securityGroup", "conpaas-nodes");
        settings.put("createSecurityGroup", "true");
        return settings;
    }

    @Override
    public void close() {
        try {
            watcher.close();
        } finally {
            ec2.close();
            moto.close();
        }
    }
}
