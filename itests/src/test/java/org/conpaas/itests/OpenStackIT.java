package org.conpaas.itests;

import static org.conpaas.itests.DirectorTestSupport.agentProcess;
import static org.conpaas.itests.DirectorTestSupport.agentProcesses;
import static org.conpaas.itests.DirectorTestSupport.eventually;
import static org.conpaas.itests.DirectorTestSupport.helloLines;
import static org.conpaas.itests.DirectorTestSupport.json;
import static org.conpaas.itests.DirectorTestSupport.karafBase;
import static org.conpaas.itests.DirectorTestSupport.mapper;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.inject.Inject;
import javax.security.auth.Subject;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
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

/**
 * The helloworld service on OpenStack servers: the OpenStack driver, hot-deployed from the distribution's system
 * repository into deploy/, talks to the in-test OpenStack ({@link OpenStackItCloud}), whose hypervisor boots each
 * server from the user data the director rendered (agent download with the node's token, agent start on the server's
 * 127.11.x.y address). A second cloud whose credentials are refused is listed as unavailable, with the reason, and
 * the director keeps working beside it.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class OpenStackIT {

    private static final Duration SETTLE = Duration.ofSeconds(60);

    @Inject
    private SessionFactory sessionFactory;

    @Rule
    public TestWatcher keepLog = DirectorTestSupport.keepLogOnFailure();

    @Configuration
    public Option[] config() throws Exception {
        return OptionUtils.combine(DirectorTestSupport.distribution("openstack"), OpenStackItCloud.start());
    }

    @Test
    public void helloworldOnThreeOpenStackServersWithAVolumeAndNothingLeftAfterStop() throws Exception {
        Api api = DirectorTestSupport.containerApi();
        hotDeployTheDriver();
        eventually("cloud stack listed and available", SETTLE, () -> cloud(api, "stack")
                .map(c -> "openstack".equals(c.path("type").asText()) && c.path("available").asBoolean())
                .orElse(false));
        eventually("cloud badstack listed as unavailable", SETTLE, () -> cloud(api, "badstack")
                .map(c -> !c.path("available").asBoolean()).orElse(false));
        String reason = cloud(api, "badstack").orElseThrow().path("reason").asText();
        assertTrue(reason, reason.startsWith("cloud badstack (OpenStack) refused the credentials"));
        assertTrue(reason, !reason.contains("not-the-password"));

        // undeployed: the clouds go; installed as the feature instead (README): they come back
        Files.delete(karafBase().resolve("deploy/cloud-openstack.jar"));
        eventually("the clouds gone with the bundle", SETTLE, () -> cloud(api, "stack").isEmpty()
                && cloud(api, "badstack").isEmpty());
        shell("feature:install conpaas-cloud-openstack");
        eventually("cloud stack back and available", SETTLE, () -> cloud(api, "stack")
                .map(c -> c.path("available").asBoolean()).orElse(false));
        eventually("cps:cloud-list shows badstack unavailable", SETTLE, () -> shell("cps:cloud-list --no-format")
                .contains("unavailable: cloud badstack (OpenStack) refused the credentials"));

        Path machines = Paths.get(System.getProperty(OpenStackItCloud.MACHINES_PROPERTY));
        long appId = api.post("/applications", json("name", "hello-openstack")).ok().path("id").asLong();
        String a = "/applications/" + appId;
        try {
            api.post(a + "/start", json()).ok();
            eventually("application RUNNING", SETTLE, () -> "RUNNING".equals(api.get(a).ok().path("state").asText()));
            JsonNode svc = api.post(a + "/services", json("type", "helloworld", "name", "hw")).ok();
            String s = a + "/services/" + svc.path("id").asInt();

            JsonNode started = api.post(s + "/start?wait=60", json("cloud", "stack")).ok();
            assertEquals(started.toString(), "RUNNING", started.path("state").asText());
            JsonNode grown = api.post(s + "/nodes?wait=60", json("roles", Map.of("node", 2), "cloud", "stack")).ok();
            assertEquals(grown.toString(), 3, grown.path("nodes").path("node").asInt());

            JsonNode nodes = api.get(s + "/nodes").ok();
            assertEquals("nodes: " + nodes, 3, nodes.size());
            Set<String> nodeIds = new HashSet<>();
            for (JsonNode n : nodes) {
                assertEquals(n.toString(), "stack", n.path("cloud").asText());
                assertEquals(n.toString(), "RUNNING", n.path("status").asText());
                String address = n.path("address").asText();
                assertTrue("a server's address: " + n, address.startsWith("127.11."));
                assertTrue("an agent booted by the hypervisor for " + n, agentProcess(n.path("id").asText(), appId,
                        address, machines).isPresent());
                nodeIds.add(n.path("id").asText());
            }
            assertEquals(3, stubState().path("servers").size());
            assertEquals(3, stubState().path("machines").size());

            List<String> lines = helloLines(api.post(s + "/operations/get_helloworld", json()).ok());
            assertEquals("lines: " + lines, 3, lines.size());
            assertEquals(nodeIds, lines.stream().map(l -> l.replaceAll(".*from (\\S+).*", "$1"))
                    .collect(Collectors.toSet()));

            // a volume: helloworld has none, so a generic service's node on the same cloud gets one, which its agent
            // formats and mounts (the stub's volume is an image file, the device the machine sees)
            eventually("generic type listed", SETTLE, () -> {
                Set<String> types = new HashSet<>();
                api.get("/service-types").ok().forEach(t -> types.add(t.path("name").asText()));
                return types.contains("generic");
            });
            String g = a + "/services/" + api.post(a + "/services", json("type", "generic", "name", "store")).ok()
                    .path("id").asInt();
            assertEquals("RUNNING", api.post(g + "/start?wait=60", json("cloud", "stack")).ok().path("state")
                    .asText());
            String storeNode = api.get(g + "/nodes").ok().get(0).path("id").asText();
            JsonNode withVolume = api.post(g + "/volumes?wait=60", json("name", "data", "sizeMb", 16, "node",
                    storeNode)).ok();
            assertEquals(withVolume.toString(), "RUNNING", withVolume.path("state").asText());
            JsonNode volumes = api.get(g + "/volumes").ok();
            assertEquals(volumes.toString(), 1, volumes.size());
            assertTrue("mounted on the node: " + volumes, Files.isDirectory(Paths.get(volumes.get(0).path("path")
                    .asText())));
            assertEquals(1, stubState().path("volumes").size());
            api.delete(g + "/volumes/data?wait=60").ok();
            assertEquals(0, api.get(g + "/volumes").ok().size());
            assertEquals(0, stubState().path("volumes").size());
            assertEquals("STOPPED", api.post(g + "/stop?wait=60", json()).ok().path("state").asText());

            JsonNode stopped = api.post(s + "/stop?wait=60", json()).ok();
            assertEquals("STOPPED", stopped.path("state").asText());
            eventually("no server, volume, address or machine left", Duration.ofSeconds(30), () -> {
                JsonNode state = stubState();
                return state.path("servers").isEmpty() && state.path("volumes").isEmpty()
                        && state.path("floatingIps").isEmpty() && state.path("machines").isEmpty();
            });
            eventually("no agent process left", Duration.ofSeconds(30),
                    () -> agentProcesses(appId, machines).isEmpty());
        } finally {
            api.post(a + "/stop?wait=60", json());
            api.delete(a);
            DirectorTestSupport.killAll(agentProcesses(appId, machines).stream().map(ProcessHandle::pid)
                    .collect(Collectors.toList()));
        }
    }

    /** Drops the shipped driver bundle into deploy/, as an operator would (it is not installed at boot). */
    private static void hotDeployTheDriver() throws Exception {
        Path system = karafBase().resolve("system/org/conpaas/cloud-openstack");
        Path jar;
        try (Stream<Path> files = Files.walk(system)) {
            jar = files.filter(p -> p.getFileName().toString().matches("cloud-openstack-.*\\.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("the distribution ships no cloud-openstack bundle"));
        }
        Files.copy(jar, karafBase().resolve("deploy/cloud-openstack.jar"), StandardCopyOption.REPLACE_EXISTING);
    }

    /** Runs a console command as the administrator; returns what it printed. */
    private String shell(String command) throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.PrintStream out = new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8);
        Session session = sessionFactory.create(new java.io.ByteArrayInputStream(new byte[0]), out, out);
        try {
            session.put("USER", "admin");
            Subject subject = new Subject();
            subject.getPrincipals().add(new UserPrincipal("admin"));
            for (String role : List.of("admin", "manager", "viewer", "systembundles", "ssh")) {
                subject.getPrincipals().add(new RolePrincipal(role));
            }
            Object result = Subject.doAs(subject,
                    (java.security.PrivilegedExceptionAction<Object>) () -> session.execute(command));
            if (result != null) {
                out.println(result);
            }
            return bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
        } finally {
            session.close();
        }
    }

    private static java.util.Optional<JsonNode> cloud(Api api, String name) {
        for (JsonNode c : api.get("/clouds").ok()) {
            if (name.equals(c.path("name").asText())) {
                return java.util.Optional.of(c);
            }
        }
        return java.util.Optional.empty();
    }

    /** What the in-test OpenStack holds now. */
    private static JsonNode stubState() throws Exception {
        HttpResponse<String> reply = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                System.getProperty(OpenStackItCloud.STUB_PROPERTY) + "/stub/state")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(reply.body(), 200, reply.statusCode());
        return mapper().readTree(reply.body());
    }
}
