package org.conpaas.cloud.ec2;

import static org.junit.Assert.assertTrue;

import java.util.Map;
import org.conpaas.api.cloud.CloudDriver;
import org.conpaas.api.cloud.CloudNode;
import org.conpaas.api.cloud.CloudNodeState;
import org.conpaas.api.cloud.LaunchRequest;
import org.conpaas.api.cloud.NodeLaunch;
import org.conpaas.service.testing.cloud.CloudDriverContract;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The driver contract against moto: real EC2 API calls through the embedded SDK, machines booted by the watcher.
 * The refusing cloud's key pair was deleted after the driver checked it, so EC2 refuses the launch
 * (InvalidKeyPair.NotFound).
 */
public class Ec2DriverContractTest extends CloudDriverContract {

    private static MotoFixture moto;
    private static Ec2CloudDriver driver;
    private static Ec2CloudDriver refusing;

    @BeforeClass
    public static void startMoto() throws Exception {
        moto = new MotoFixture();
        driver = moto.driver("moto", Map.of());
        var ec2 = moto.cloud().ec2();
        ec2.createKeyPair(r -> r.keyName("conpaas-gone"));
        refusing = moto.driver("moto-refusing", Map.of("keyName", "conpaas-gone"));
        ec2.deleteKeyPair(r -> r.keyName("conpaas-gone"));
    }

    @AfterClass
    public static void stopMoto() {
        if (moto != null) {
            moto.close();
        }
    }

    @Override
    protected CloudDriver driver() {
        return driver;
    }

    @Override
    protected CloudDriver refusingDriver() {
        return refusing;
    }

    @Override
    protected String unknownVmId() {
        return "i-0123456789abcdef0";
    }

    @Test
    public void aRefusedLaunchIsOneSentenceNamingTheCloudAndEc2sReason() {
        CloudNode node = refusing.launch(new LaunchRequest("contract",
                java.util.List.of(new NodeLaunch("n-1", "n-1", "node", userData("n-1"))), null)).get(0);
        assertTrue(node.toString(), node.state() == CloudNodeState.FAILED);
        assertTrue(node.detail(), node.detail().startsWith("cloud moto-refusing (EC2 us-east-1 at http://127.0.0.1:"));
        assertTrue(node.detail(), node.detail().contains(" refused to launch n-1: "));
        assertTrue(node.detail(), node.detail().contains("conpaas-gone"));
        assertTrue(node.detail(), node.detail().endsWith("(InvalidKeyPair.NotFound)"));
        assertTrue(node.detail(), !node.detail().contains("\n"));
    }
}
