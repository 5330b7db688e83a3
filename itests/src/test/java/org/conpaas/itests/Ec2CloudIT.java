package org.conpaas.itests;

import static org.conpaas.itests.DirectorTestSupport.eventually;
import static org.conpaas.itests.DirectorTestSupport.helloLines;
import static org.conpaas.itests.DirectorTestSupport.json;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import javax.inject.Inject;

import org.conpaas.api.cloud.CloudDriver;
import org.conpaas.api.cloud.CloudVolume;
import org.conpaas.itests.DirectorTestSupport.Api;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TestWatcher;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * The distribution with two EC2 clouds on moto (the AWS API emulator): {@code aws}, whose instances the test's
 * machine watcher boots on loopback addresses from the user data moto kept (so each node runs the director's real
 * boot script: agent download with its token, agent start), and {@code aws-denied}, whose credentials moto refuses.
 * A helloworld service runs on {@code aws} with three nodes, an EBS volume is created, attached, detached and
 * deleted through the registered driver (helloworld has no volumes, and an emulated machine no block device), and
 * after the stop nothing is left: no instance, no volume, no process of a machine.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class Ec2CloudIT {

    private static final Duration SETTLE = Duration.ofSeconds(90);

    @Rule
    public TestWatcher keepLog = DirectorTestSupport.keepLogOnFailure();

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() throws Exception {
        return OptionUtils.combine(DirectorTestSupport.distribution("ec2"),
                OptionUtils.combine(Ec2ItCloud.options().toArray(new Option[0]),
                        // a node whose agent never calls in is given up after this (the default is 120 s)
                        org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut(
                                "etc/org.conpaas.director.cfg", "nodeStartTimeoutSeconds", "20")));
    }

    @Test
    public void helloworldOnThreeEc2NodesThenAVolumeThenNothingLeft() throws Exception {
        Api api = DirectorTestSupport.containerApi();
        eventually("both EC2 clouds listed", SETTLE, () -> cloudNames(api).containsAll(Set.of("aws", "aws-denied")));
        JsonNode denied = cloud(api, "aws-denied");
        assertFalse(denied.toString(), denied.path("available").asBoolean());
        assertTrue(denied.toString(), denied.path("reason").asText().startsWith("cloud aws-denied (EC2 us-east-1"));
        assertTrue(denied.toString(), denied.path("reason").asText().contains("refused the credentials"));
        assertTrue(cloud(api, "aws").toString(), cloud(api, "aws").path("available").asBoolean());
        assertEquals("ec2", cloud(api, "aws").path("type").asText());

        long appId = api.post("/applications", json("name", "on-ec2")).ok().path("id").asLong();
        String a = "/applications/" + appId;
        List<String> vmIds = new ArrayList<>();
        List<String> addresses = new ArrayList<>();
        try {
            api.post(a + "/start", json()).ok();
            eventually("application RUNNING", SETTLE, () -> "RUNNING".equals(api.get(a).ok().path("state").asText()));
            String s = a + "/services/" + api.post(a + "/services", json("type", "helloworld", "name", "hw")).ok()
                    .path("id").asInt();
            // the unavailable cloud refuses with its reason, and the director goes on
            api.post(s + "/start?wait=30", json("cloud", "aws-denied")).problem(502, "cloud aws-denied",
                    "refused the credentials");

            JsonNode started = api.post(s + "/start?wait=90", json("cloud", "aws")).ok();
            assertEquals(started.toString(), "RUNNING", started.path("state").asText());
            JsonNode added = api.post(s + "/nodes?wait=90", json("roles", java.util.Map.of("node", 2))).ok();
            assertEquals(added.toString(), "RUNNING", added.path("state").asText());

            JsonNode nodes = api.get(s + "/nodes").ok();
            assertEquals(nodes.toString(), 3, nodes.size());
            String subnet = System.getProperty(Ec2ItCloud.SUBNET_PROPERTY);
            String prefix = subnet.substring(0, subnet.lastIndexOf('.') + 1);
            for (JsonNode node : nodes) {
                assertEquals(node.toString(), "aws", node.path("cloud").asText());
                assertTrue(node.toString(), node.path("vmId").asText().startsWith("i-"));
                assertTrue(node.toString(), node.path("address").asText().startsWith(prefix));
                assertEquals(node.toString(), 5555, node.path("port").asInt());
                vmIds.add(node.path("vmId").asText());
                addresses.add(node.path("address").asText());
            }
            List<String> hello = helloLines(api.post(s + "/operations/get_helloworld", json()).ok());
            assertEquals(hello.toString(), Set.of("Received helloworld from node-1", "Received helloworld from node-2",
                    "Received helloworld from node-3"), new TreeSet<>(hello));

            CloudDriver aws = driver("aws");
            CloudVolume volume = aws.createVolume("it-data", 512);
            assertTrue(motoState().contains(volume.id()));
            CloudVolume attached = aws.attachVolume(volume.id(), vmIds.get(1));
            assertEquals(vmIds.get(1), attached.attachedTo());
            assertEquals("/dev/sdf", attached.device());
            aws.detachVolume(volume.id());
            aws.deleteVolume(volume.id());
            String vm = vmIds.get(1);
            org.conpaas.api.CloudException gone = org.junit.Assert.assertThrows(
                    org.conpaas.api.CloudException.class, () -> aws.attachVolume(volume.id(), vm));
            assertTrue(gone.getMessage(), gone.getMessage().endsWith("has no volume " + volume.id()));

            JsonNode stopped = api.post(s + "/stop?wait=90", json()).ok();
            assertEquals(stopped.toString(), "STOPPED", stopped.path("state").asText());
            assertEquals(List.of(), aws.list());
            for (var machine : aws.describe(vmIds)) {
                assertEquals(machine.toString(), org.conpaas.api.cloud.CloudNodeState.TERMINATED, machine.state());
            }
            eventually("every machine's processes ended", SETTLE, () -> machineProcesses().isEmpty());
            for (String address : addresses) {
                assertFalse("nothing listens on " + address + ":5555 any more", listens(address, 5555));
            }
        } finally {
            api.post(a + "/stop?wait=90", json());
            api.delete(a);
        }
    }

    /**
     * A node whose agent never calls in (its startup script, which runs before the agent is downloaded, never ends)
     * is given up after the boot timeout: the start fails naming it, and its instance and machine are gone.
     */
    @Test
    public void aNodeWhoseAgentNeverCallsInIsReleasedAfterTheBootTimeout() throws Exception {
        Api api = DirectorTestSupport.containerApi();
        long appId = api.post("/applications", json("name", "ec2-stuck")).ok().path("id").asLong();
        String a = "/applications/" + appId;
        try {
            api.post(a + "/start", json()).ok();
            eventually("application RUNNING", SETTLE, () -> "RUNNING".equals(api.get(a).ok().path("state").asText()));
            String s = a + "/services/" + api.post(a + "/services", json("type", "helloworld", "name", "stuck")).ok()
                    .path("id").asInt();
            api.putText(s + "/startup-script", "#!/bin/sh\nexec sleep 600\n").ok();
            JsonNode settled = api.post(s + "/start?wait=90", json("cloud", "aws")).ok();
            assertFalse(settled.toString(), "RUNNING".equals(settled.path("state").asText()));
            assertTrue(settled.toString(), settled.toString().contains("did not start within 20 s"));
            assertEquals(List.of(), driver("aws").list());
            eventually("the stuck machine's processes ended", SETTLE, () -> machineProcesses().isEmpty());
        } finally {
            api.post(a + "/stop?wait=90", json());
            api.delete(a);
        }
    }

    private CloudDriver driver(String name) throws Exception {
        var refs = context.getServiceReferences(CloudDriver.class, "(" + CloudDriver.NAME_PROPERTY + "=" + name + ")");
        assertEquals(1, refs.size());
        ServiceReference<CloudDriver> ref = refs.iterator().next();
        assertEquals("ec2", ref.getProperty(CloudDriver.TYPE_PROPERTY));
        return context.getService(ref);
    }

    private static Set<String> cloudNames(Api api) {
        Set<String> names = new TreeSet<>();
        api.get("/clouds").ok().forEach(c -> names.add(c.path("name").asText()));
        return names;
    }

    private static JsonNode cloud(Api api, String name) {
        for (JsonNode c : api.get("/clouds").ok()) {
            if (name.equals(c.path("name").asText())) {
                return c;
            }
        }
        throw new AssertionError("no cloud " + name);
    }

    /** moto's whole state (instances, volumes...), as its own API dumps it. */
    private static String motoState() throws IOException, InterruptedException {
        URI dump = URI.create(System.getProperty(Ec2ItCloud.ENDPOINT_PROPERTY) + "/moto-api/data.json");
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(dump).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Processes working in a machine's folder (the watcher runs each machine's boot script and agent there). */
    private static List<Long> machineProcesses() throws IOException {
        Path machines = Paths.get(System.getProperty(Ec2ItCloud.MACHINES_PROPERTY));
        List<Long> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Paths.get("/proc"))) {
            for (Path proc : (Iterable<Path>) procs::iterator) {
                if (!proc.getFileName().toString().matches("\\d+")) {
                    continue;
                }
                try {
                    if (Files.readSymbolicLink(proc.resolve("cwd")).startsWith(machines)) {
                        found.add(Long.parseLong(proc.getFileName().toString()));
                    }
                } catch (IOException | SecurityException gone) {
                    // ended meanwhile, or not ours to read
                }
            }
        }
        return found;
    }

    private static boolean listens(String address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 1000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    @Test
    public void aCloudWithoutAnyConfigurationFileIsNotListed() {
        // the bundle is installed at boot (feature conpaas-cloud-ec2) yet registers a cloud per .cfg only
        assertEquals(Set.of("aws", "aws-denied", "default"), cloudNames(api()));
    }

    private static Api api() {
        try {
            return DirectorTestSupport.containerApi();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
