package org.conpaas.itests;

import static org.conpaas.itests.DirectorTestSupport.agentProcess;
import static org.conpaas.itests.DirectorTestSupport.agentProcesses;
import static org.conpaas.itests.DirectorTestSupport.eventually;
import static org.conpaas.itests.DirectorTestSupport.helloLines;
import static org.conpaas.itests.DirectorTestSupport.json;
import static org.conpaas.itests.DirectorTestSupport.karafBase;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

import javax.inject.Inject;

import org.conpaas.api.cloud.CloudDriver;
import org.conpaas.itests.DirectorTestSupport.Api;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TestWatcher;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.exam.OptionUtils;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The helloworld service through the REST API of the real distribution on the local cloud: the whole life cycle
 * with real agent processes, the error cases of the API, and hot (un)deployment of the service type.
 * One container boot for the class; each test builds and deletes its own application.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HelloworldRestIT {

    private static final Duration SETTLE = Duration.ofSeconds(90);
    private static final Pattern HELLO_LINE = Pattern.compile("Received helloworld from (node-\\d+)");

    @Rule
    public TestWatcher keepLog = DirectorTestSupport.keepLogOnFailure();

    @Configuration
    public Option[] config() {
        // small bounds, so that passing them is cheap: 4 nodes per service (the life cycle below uses 3), 2 MB uploads
        return OptionUtils.combine(DirectorTestSupport.distribution("rest"),
                editConfigurationFilePut("etc/org.conpaas.director.cfg", "maxNodesPerService", "4"),
                editConfigurationFilePut("etc/org.conpaas.director.cfg", "maxArchiveMb", "2"));
    }

    @Inject
    private ConfigurationAdmin configurations;

    @Inject
    private BundleContext context;

    /**
     * An edit of the local cloud's configuration applies without the driver being restarted (its service stays the
     * same registration, so launches under way go on): the agents' Java options reach the next node launched. File
     * Install does not write the edit back into the cloud's file of etc/ (etc/custom.properties: a rewrite in place
     * could be read half written by its own watcher).
     */
    @Test
    public void theLocalCloudsAgentJavaOptionsApplyLiveToTheNextNode() throws Exception {
        String marker = "-Dconpaas.itest.live-option=" + System.nanoTime();
        Collection<ServiceReference<CloudDriver>> before = context.getServiceReferences(CloudDriver.class,
                "(" + CloudDriver.NAME_PROPERTY + "=default)");
        assertEquals(1, before.size());
        Object serviceId = before.iterator().next().getProperty(Constants.SERVICE_ID);
        org.osgi.service.cm.Configuration[] clouds = configurations.listConfigurations(
                "(service.factoryPid=org.conpaas.cloud.local)");
        assertEquals(1, clouds.length);
        Dictionary<String, Object> original = clouds[0].getProperties();
        Dictionary<String, Object> edited = new Hashtable<>();
        for (String key : Collections.list(original.keys())) {
            edited.put(key, original.get(key));
        }
        Path cloudFile = karafBase().resolve("etc").resolve("org.conpaas.cloud.local-default.cfg");
        String cloudFileBefore = Files.readString(cloudFile);
        Object options = original.get("javaOptions");
        edited.put("javaOptions", (options == null ? "-Xmx48m" : options.toString()) + " " + marker);
        clouds[0].update(edited);

        Api api = api();
        long appId = api.post("/applications", json("name", "hello-live-config")).ok().path("id").asLong();
        String a = "/applications/" + appId;
        try {
            api.post(a + "/start", json()).ok();
            eventually("application RUNNING", SETTLE, () -> "RUNNING".equals(api.get(a).ok().path("state").asText()));
            JsonNode svc = api.post(a + "/services", json("type", "helloworld", "name", "hw")).ok();
            String s = a + "/services/" + svc.path("id").asInt();
            assertEquals("RUNNING", api.post(s + "/start?wait=90", json()).ok().path("state").asText());
            List<ProcessHandle> agents = agentProcesses(appId);
            assertEquals(1, agents.size());
            List<String> arguments = List.of(agents.get(0).info().arguments().orElse(new String[0]));
            assertTrue("the new node's JVM runs with the edited options: " + arguments, arguments.contains(marker));
            assertEquals("etc/org.conpaas.cloud.local-default.cfg, seconds after the edit through Config Admin",
                    cloudFileBefore, Files.readString(cloudFile));
            Collection<ServiceReference<CloudDriver>> after = context.getServiceReferences(CloudDriver.class,
                    "(" + CloudDriver.NAME_PROPERTY + "=default)");
            assertEquals("the driver was not restarted", List.of(serviceId),
                    after.stream().map(r -> r.getProperty(Constants.SERVICE_ID)).toList());
        } finally {
            clouds[0].update(original);
            api.post(a + "/stop?wait=90", json());
            api.delete(a);
            DirectorTestSupport.killAll(agentProcesses(appId).stream().map(ProcessHandle::pid)
                    .collect(Collectors.toList()));
        }
    }

    private Api api() throws Exception {
        Api api = DirectorTestSupport.containerApi();
        return api;
    }

    /** The smoke test: the distribution boots and the director answers on /api/v1. */
    @Test
    public void versionAndTypesAnswer() throws Exception {
        Api api = api();
        JsonNode version = api.get("/version").ok();
        assertEquals("conpaas", version.path("deploymentName").asText());
        assertFalse(version.path("version").asText().isBlank());
        // the helloworld bundle shipped in deploy/ registers its type at boot
        eventually("helloworld listed", Duration.ofSeconds(30), () -> typeNames(api).contains("helloworld"));
        JsonNode clouds = api.get("/clouds").ok();
        Set<String> names = new HashSet<>();
        clouds.forEach(c -> names.add(c.path("name").asText()));
        assertTrue("clouds: " + clouds, names.contains("default"));
    }

    /**
     * deploy/ is watched only once the boot features are installed (core-impl's DeployFolder): every plug-in shipped
     * there is installed after core-api, and the watch is the director's Config Admin configuration, not Karaf's
     * file in etc/ (with that file File Install raced the boot install).
     */
    @Test
    public void shippedPlugInsAreInstalledAfterTheBootFeatures() throws Exception {
        Api api = api();
        eventually("helloworld listed", Duration.ofSeconds(30), () -> typeNames(api).contains("helloworld"));
        Path deploy = karafBase().resolve("deploy").toAbsolutePath().normalize();
        long shippedJars;
        try (var files = Files.list(deploy)) {
            shippedJars = files.filter(f -> f.getFileName().toString().endsWith(".jar")).count();
        }
        long coreApi = Arrays.stream(context.getBundles()).filter(b -> "org.conpaas.api".equals(b.getSymbolicName()))
                .findFirst().orElseThrow().getBundleId();
        List<Bundle> plugIns = Arrays.stream(context.getBundles())
                .filter(b -> b.getLocation().startsWith("file:" + deploy + "/"))
                .collect(Collectors.toList());
        assertEquals("bundles from " + deploy, shippedJars, plugIns.size());
        for (Bundle plugIn : plugIns) {
            assertTrue(plugIn.getLocation() + " (bundle " + plugIn.getBundleId() + ") installed after core-api (bundle "
                    + coreApi + ")", plugIn.getBundleId() > coreApi);
        }
        assertFalse("Karaf's own deploy/ watch file", Files.exists(karafBase().resolve("etc")
                .resolve("org.apache.felix.fileinstall-deploy.cfg")));
        org.osgi.service.cm.Configuration[] watches = configurations.listConfigurations(
                "(service.factoryPid=org.apache.felix.fileinstall)");
        assertEquals(1, watches == null ? 0 : watches.length);
        assertEquals(deploy.toString(), watches[0].getProperties().get("felix.fileinstall.dir"));
    }

    /**
     * Derby (only {@code DynamicImport-Package: *}) reaches the JDK packages it uses (JNDI, JDBC, the XML APIs of its
     * XML support) by boot delegation, without a dynamic wire: such a wire is made under Felix's global lock, and
     * losing that race during the boot install once left the director without its DataSource, another time cost a
     * failed build of the persistence unit (etc/custom.properties). The classes are loaded first, so that a package
     * missing from the delegation list shows up as a wire this load made.
     */
    @Test
    public void derbyReachesTheJdkPackagesItUsesWithoutADynamicWire() throws Exception {
        api(); // the director is up: its database is open
        Bundle derby = Arrays.stream(context.getBundles()).filter(b -> "derby".equals(b.getSymbolicName()))
                .findFirst().orElseThrow();
        assertEquals(Bundle.ACTIVE, derby.getState());
        List<String> classes = List.of("javax.naming.spi.ObjectFactory", "javax.sql.DataSource", "org.w3c.dom.Node",
                "org.xml.sax.SAXException", "javax.xml.parsers.DocumentBuilderFactory",
                "javax.xml.transform.dom.DOMSource", "javax.xml.xpath.XPathFactory");
        for (String name : classes) {
            assertEquals(name, derby.loadClass(name).getName());
        }
        List<String> packages = classes.stream().map(c -> c.substring(0, c.lastIndexOf('.')))
                .collect(Collectors.toList());
        List<String> wired = derby.adapt(org.osgi.framework.wiring.BundleWiring.class)
                .getRequiredWires(org.osgi.framework.namespace.PackageNamespace.PACKAGE_NAMESPACE).stream()
                .map(w -> String.valueOf(w.getCapability().getAttributes()
                        .get(org.osgi.framework.namespace.PackageNamespace.PACKAGE_NAMESPACE)))
                .filter(packages::contains)
                .collect(Collectors.toList());
        assertEquals("Derby's wires to JDK packages it should reach by boot delegation", List.of(), wired);
    }

    @Test
    public void helloworldLifecycleOnThreeAgentProcesses() throws Exception {
        Api api = api();
        JsonNode app = api.post("/applications", json("name", "hello-rest")).ok();
        long appId = app.path("id").asLong();
        String a = "/applications/" + appId;
        assertEquals("INIT", app.path("state").asText());
        try {
            api.post(a + "/start", json()).ok();
            eventually("application RUNNING", SETTLE, () -> "RUNNING".equals(api.get(a).ok().path("state").asText()));

            JsonNode svc = api.post(a + "/services", json("type", "helloworld", "name", "hw")).ok();
            assertEquals("helloworld", svc.path("type").asText());
            assertEquals("INIT", svc.path("state").asText());
            assertTrue(svc.path("typeInstalled").asBoolean());
            String s = a + "/services/" + svc.path("id").asInt();

            JsonNode started = api.post(s + "/start?wait=90", json()).ok();
            assertEquals("RUNNING", started.path("state").asText());
            assertEquals(1, started.path("nodes").path("node").asInt());

            JsonNode grown = api.post(s + "/nodes?wait=90", json("roles", Map.of("node", 2))).ok();
            assertEquals("RUNNING", grown.path("state").asText());
            assertEquals(3, grown.path("nodes").path("node").asInt());

            // three RUNNING nodes on three distinct loopback addresses, each served by its own agent process
            JsonNode nodes = api.get(s + "/nodes").ok();
            assertEquals("nodes: " + nodes, 3, nodes.size());
            Map<String, Long> pidByNode = new HashMap<>();
            Set<String> addresses = new HashSet<>();
            for (JsonNode n : nodes) {
                assertEquals(n.toString(), "RUNNING", n.path("status").asText());
                assertEquals(n.toString(), "node", n.path("role").asText());
                assertEquals(n.toString(), "default", n.path("cloud").asText());
                String address = n.path("address").asText();
                assertTrue("loopback address: " + n, address.startsWith("127."));
                addresses.add(address);
                long pid = agentProcess(n.path("id").asText(), appId, address, karafBase())
                        .orElseThrow(() -> new AssertionError("no agent process for " + n)).pid();
                pidByNode.put(n.path("id").asText(), pid);
            }
            assertEquals("distinct addresses: " + nodes, 3, addresses.size());
            assertEquals("distinct agent processes: " + pidByNode, 3, new HashSet<>(pidByNode.values()).size());

            List<String> lines = helloLines(api.post(s + "/operations/get_helloworld", json()).ok());
            assertEquals("lines: " + lines, 3, lines.size());
            assertEquals("one line per node", pidByNode.keySet(), helloNodes(lines));

            // shrink by one, naming the oldest node (by counts the newest would go): two lines, and the removed
            // node's agent process is gone
            String oldest = pidByNode.keySet().stream().min(Comparator.naturalOrder()).orElseThrow();
            JsonNode shrunk = api.post(s + "/nodes/remove?wait=90", json("nodes", List.of(oldest))).ok();
            assertEquals("RUNNING", shrunk.path("state").asText());
            assertEquals(2, shrunk.path("nodes").path("node").asInt());
            Set<String> remaining = new HashSet<>();
            api.get(s + "/nodes").ok().forEach(n -> remaining.add(n.path("id").asText()));
            assertEquals(2, remaining.size());
            Set<String> removed = new HashSet<>(pidByNode.keySet());
            removed.removeAll(remaining);
            assertEquals("the named node removed: " + remaining, Set.of(oldest), removed);
            long removedPid = pidByNode.get(oldest);
            eventually("removed agent process " + removedPid + " exits", Duration.ofSeconds(30),
                    () -> ProcessHandle.of(removedPid).map(p -> !p.isAlive()).orElse(true));
            for (String kept : remaining) {
                assertTrue("kept node's agent alive", ProcessHandle.of(pidByNode.get(kept)).isPresent());
            }
            List<String> two = helloLines(api.post(s + "/operations/get_helloworld", json()).ok());
            assertEquals(remaining, helloNodes(two));

            // stop: no agent process of the application is left
            JsonNode stopped = api.post(s + "/stop?wait=90", json()).ok();
            assertEquals("STOPPED", stopped.path("state").asText());
            assertEquals(0, api.get(s + "/nodes").ok().size());
            eventually("no agent process left", Duration.ofSeconds(30), () -> agentProcesses(appId).isEmpty());
        } finally {
            api.post(a + "/stop?wait=90", json());
            api.delete(a);
            DirectorTestSupport.killAll(agentProcesses(appId).stream().map(ProcessHandle::pid)
                    .collect(Collectors.toList()));
        }
        assertEquals(404, api.get(a).status);
    }

    @Test
    public void badInputIsRejectedAndChangesNothing() throws Exception {
        Api api = api();
        long appId = api.post("/applications", json("name", "hello-bad")).ok().path("id").asLong();
        String a = "/applications/" + appId;
        try {
            // unknown application
            api.get("/applications/999999").problem(404, "999999");
            api.post("/applications/no-such-app/services", json("type", "helloworld")).problem(404, "no-such-app");

            // wrong state: the application is not started yet
            api.post(a + "/services", json("type", "helloworld")).problem(409, "INIT");

            api.post(a + "/start", json()).ok();
            eventually("application RUNNING", SETTLE, () -> "RUNNING".equals(api.get(a).ok().path("state").asText()));

            // unknown type
            api.post(a + "/services", json("type", "no-such-type")).problem(400, "no-such-type");
            assertEquals("no service added", 0, api.get(a + "/services").ok().size());

            // malformed JSON
            api.post(a + "/services", "{\"type\": \"helloworld\",").problem(400);
            assertEquals("no service added", 0, api.get(a + "/services").ok().size());

            JsonNode svc = api.post(a + "/services", json("type", "helloworld", "name", "hw")).ok();
            String s = a + "/services/" + svc.path("id").asInt();

            // wrong state: nodes of a service that is not started; operations of a stopped service
            api.post(s + "/nodes", json("roles", Map.of("node", 1))).problem(409, "INIT", "RUNNING");
            api.post(s + "/operations/get_helloworld", json()).problem(409, "INIT");

            api.post(s + "/start?wait=90", json()).ok();
            String before = nodeIds(api, s);
            assertEquals(1, before.split(",").length);

            // a second start is a wrong state too
            api.post(s + "/start", json()).problem(409, "RUNNING");
            // negative and zero counts, unknown role
            api.post(s + "/nodes", json("roles", Map.of("node", -1))).problem(400, "-1");
            api.post(s + "/nodes", json("roles", Map.of("node", 0))).problem(400);
            api.post(s + "/nodes", json("roles", Map.of())).problem(400);
            api.post(s + "/nodes", json("roles", Map.of("proxy", 1))).problem(400, "proxy");
            api.post(s + "/nodes/remove", json("roles", Map.of("node", -2))).problem(400, "-2");
            api.post(s + "/nodes/remove", json("roles", Map.of("web", 1))).problem(400, "web");
            api.post(s + "/nodes/remove", json("nodes", List.of("node-99"))).problem(404, "node-99");
            api.post(s + "/nodes/remove", json("roles", Map.of("node", 1), "nodes", List.of("node-1"))).problem(400);
            // malformed JSON on a service
            api.post(s + "/nodes", "{roles: node=2}").problem(400);
            // removing the last node
            JsonNode last = api.post(s + "/nodes/remove", json("roles", Map.of("node", 1))).json();
            assertTrue("last node: 400 or 409, got " + last, last.path("status").asInt() == 400
                    || last.path("status").asInt() == 409);
            assertTrue("last node detail: " + last, last.path("detail").asText().toLowerCase().contains("node"));
            // unknown operation
            api.post(s + "/operations/no_such_op", json()).problem(404, "no_such_op");

            // nothing changed: same single node, service still RUNNING
            JsonNode after = api.get(s).ok();
            assertEquals("RUNNING", after.path("state").asText());
            assertEquals(1, after.path("nodes").path("node").asInt());
            assertEquals(before, nodeIds(api, s));
            assertEquals(1, helloLines(api.post(s + "/operations/get_helloworld", json()).ok()).size());
        } finally {
            api.post(a + "/stop?wait=90", json());
            api.delete(a);
            DirectorTestSupport.killAll(agentProcesses(appId).stream().map(ProcessHandle::pid)
                    .collect(Collectors.toList()));
        }
    }

    @Test
    public void helloworldTypeIsHotDeployedAndUndeployed() throws Exception {
        Api api = api();
        Path jar = karafBase().resolve("deploy").resolve("svc-helloworld.jar");
        assertTrue("shipped in deploy/: " + jar, Files.isRegularFile(jar));
        byte[] bundle = Files.readAllBytes(jar);
        eventually("helloworld listed", Duration.ofSeconds(30), () -> typeNames(api).contains("helloworld"));

        long appId = api.post("/applications", json("name", "hello-hot")).ok().path("id").asLong();
        String a = "/applications/" + appId;
        try {
            api.post(a + "/start", json()).ok();
            eventually("application RUNNING", SETTLE, () -> "RUNNING".equals(api.get(a).ok().path("state").asText()));
            JsonNode svc = api.post(a + "/services", json("type", "helloworld")).ok();
            String s = a + "/services/" + svc.path("id").asInt();

            Files.delete(jar);
            eventually("helloworld gone from /service-types", Duration.ofSeconds(15),
                    () -> !typeNames(api).contains("helloworld"));
            api.post(s + "/start", json()).problem(409, "service type helloworld is not installed");
            JsonNode orphan = api.get(s).ok();
            assertFalse("typeInstalled of " + orphan, orphan.path("typeInstalled").asBoolean());
            api.post(a + "/services", json("type", "helloworld")).problem(400, "helloworld");

            Files.write(jar, bundle);
            eventually("helloworld back in /service-types", Duration.ofSeconds(15),
                    () -> typeNames(api).contains("helloworld"));
            eventually("service usable again", Duration.ofSeconds(15),
                    () -> api.get(s).ok().path("typeInstalled").asBoolean());
            JsonNode started = api.post(s + "/start?wait=90", json()).ok();
            assertEquals("RUNNING", started.path("state").asText());
            assertEquals(1, helloLines(api.post(s + "/operations/get_helloworld", json()).ok()).size());
        } finally {
            if (!Files.exists(jar)) {
                Files.write(jar, bundle);
            }
            api.post(a + "/stop?wait=90", json());
            api.delete(a);
            DirectorTestSupport.killAll(agentProcesses(appId).stream().map(ProcessHandle::pid)
                    .collect(Collectors.toList()));
        }
    }

    /**
     * The attack suite's bounded-input part: oversized node counts, bodies and URLs are refused with problem+json and
     * change nothing; a stop cuts a change that hangs short and leaves no process behind.
     */
    @Test
    public void oversizedCountsBodiesAndUrlsAreRefusedAndAStopCutsAHangingChangeShort() throws Exception {
        Api api = api();
        int port = Integer.parseInt(System.getProperty(DirectorTestSupport.HTTP_PORT_PROPERTY));
        long appId = api.post("/applications", json("name", "hello-bounds")).ok().path("id").asLong();
        String a = "/applications/" + appId;
        Path marks = Files.createTempDirectory("conpaas-bounds-");
        try {
            api.post(a + "/start", json()).ok();
            eventually("application RUNNING", SETTLE, () -> "RUNNING".equals(api.get(a).ok().path("state").asText()));
            String s = a + "/services/" + api.post(a + "/services", json("type", "helloworld")).ok().path("id").asInt();
            api.post(s + "/start?wait=90", json()).ok();
            String before = nodeIds(api, s);
            int versions = api.get(s + "/code").ok().size();

            // node counts: per request (default 100) and per service (4 here), named in the answer
            api.post(s + "/nodes", json("roles", Map.of("node", Integer.MAX_VALUE)))
                    .problem(400, "2147483647", "at most 100", "maxNodesPerRequest");
            api.post(s + "/nodes", json("roles", Map.of("node", 101))).problem(400, "maxNodesPerRequest");
            api.post(s + "/nodes", json("roles", Map.of("node", 4))).problem(400, "at most 4", "maxNodesPerService");
            api.post(s + "/nodes", json("roles", Map.of("node", "many"))).problem(400);
            api.post(s + "/nodes", json("roles", List.of(1, 2))).problem(400);
            api.post(s + "/nodes?wait=abc", json("roles", Map.of("node", 1))).problem(400, "wait");
            assertEquals("RUNNING", api.get(s).ok().path("state").asText());
            assertEquals("nothing launched", before, nodeIds(api, s));

            // 200 MB of multipart for a service that does not exist: 404 without reading (or storing) the body
            Path tmp = karafBase().resolve("data").resolve("tmp");
            long tmpBefore = folderSize(tmp);
            long started = System.nanoTime();
            RawHttp.Answer missing = RawHttp.exchange(port, multipartHead(api, a + "/services/999/code",
                    200L << 20), filePart("file"), 200L << 20);
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertProblem(missing, 404);
            assertTrue("answered after " + missing.bodyBytesSentBeforeAnswer() + " bytes",
                    missing.bodyBytesSentBeforeAnswer() < 40L << 20);
            assertTrue("answered after " + millis + " ms", millis < 10_000);
            assertTrue("nothing stored in " + tmp, folderSize(tmp) - tmpBefore < 1L << 20);

            // past maxArchiveMb (2 here): 413 while streaming, long before the 50 MB are sent
            RawHttp.Answer large = RawHttp.exchange(port, multipartHead(api, s + "/code", 50L << 20),
                    filePart("file"), 50L << 20);
            assertProblem(large, 413);
            assertTrue(large.body(), large.body().contains("larger than 2 MB"));
            assertTrue("answered after " + large.bodyBytesSentBeforeAnswer() + " bytes",
                    large.bodyBytesSentBeforeAnswer() < 40L << 20);
            assertEquals("no version stored", versions, api.get(s + "/code").ok().size());

            // malformed URLs and headers: 400/431 problem+json, never Jetty's HTML page or a 500
            for (String path : List.of("/api/v1/x/%", "/api/v1/x;%", "/api/v1" + a + "?wait=%zz")) {
                assertProblem(RawHttp.exchange(port, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Connection: close\r\n\r\n", new byte[0], 0), 400);
            }
            assertProblem(RawHttp.exchange(port, "GET /api/v1/version HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Filler: "
                    + "a".repeat(20_000) + "\r\nConnection: close\r\n\r\n", new byte[0], 0), 431);
            // no description of the API in another format for whoever asks (CXF's WADL generator is not installed)
            assertProblem(RawHttp.exchange(port, "GET /api/v1" + a + "?_wadl HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Connection: close\r\n\r\n", new byte[0], 0), 401);

            // a change that hangs (its node's startup script never ends) is cut short by a stop
            Files.setPosixFilePermissions(marks, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
            Path pidFile = marks.resolve("pid");
            api.putText(s + "/startup-script", "echo $$ > " + pidFile + "\nexec sleep 600\n").ok();
            assertEquals("ADAPTING", api.post(s + "/nodes", json("roles", Map.of("node", 1))).ok().path("state")
                    .asText());
            eventually("the new node's startup script runs", SETTLE, () -> Files.isRegularFile(pidFile)
                    && !Files.readString(pidFile).isBlank());
            long scriptPid = Long.parseLong(Files.readString(pidFile).trim());
            assertTrue("startup script alive", ProcessHandle.of(scriptPid).map(ProcessHandle::isAlive).orElse(false));
            long stopping = System.nanoTime();
            JsonNode stopped = api.post(s + "/stop?wait=90", json()).ok();
            assertEquals(stopped.toString(), "STOPPED", stopped.path("state").asText());
            assertTrue("stopped at once, not after the node start timeout",
                    (System.nanoTime() - stopping) / 1_000_000_000 < 60);
            assertEquals(0, api.get(s + "/nodes").ok().size());
            eventually("the hanging node's processes are gone", Duration.ofSeconds(30),
                    () -> ProcessHandle.of(scriptPid).map(p -> !p.isAlive()).orElse(true));
            eventually("no agent process left", Duration.ofSeconds(30), () -> agentProcesses(appId).isEmpty());
        } finally {
            api.post(a + "/stop?wait=90", json());
            api.delete(a);
            DirectorTestSupport.killAll(agentProcesses(appId).stream().map(ProcessHandle::pid)
                    .collect(Collectors.toList()));
            try (java.util.stream.Stream<Path> files = Files.walk(marks)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String multipartHead(Api api, String path, long length) {
        return "POST /api/v1" + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
                + DirectorTestSupport.basic("admin", DirectorTestSupport.adminPassword(
                        java.nio.file.Paths.get(System.getProperty("karaf.data"))))
                + "\r\nContent-Type: multipart/form-data; boundary=b0und4ry\r\nContent-Length: " + length
                + "\r\nConnection: close\r\n\r\n";
    }

    private static byte[] filePart(String field) {
        return ("--b0und4ry\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\"big.zip\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void assertProblem(RawHttp.Answer answer, int status) {
        assertEquals(answer.body(), status, answer.status());
        assertTrue(answer.contentType() + ": " + answer.body(),
                answer.contentType().startsWith("application/problem+json"));
        assertTrue(answer.body(), answer.body().contains("\"status\":" + status));
    }

    private static long folderSize(Path dir) throws java.io.IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static Set<String> typeNames(Api api) {
        Set<String> names = new HashSet<>();
        api.get("/service-types").ok().forEach(t -> names.add(t.path("name").asText()));
        return names;
    }

    private static String nodeIds(Api api, String service) {
        return api.get(service + "/nodes").ok().findValuesAsText("id").stream().sorted()
                .collect(Collectors.joining(","));
    }

    private static Set<String> helloNodes(List<String> lines) {
        Set<String> ids = new HashSet<>();
        for (String line : lines) {
            java.util.regex.Matcher m = HELLO_LINE.matcher(line);
            assertTrue("helloworld line: " + line, m.matches());
            ids.add(m.group(1));
        }
        assertEquals("each line from a distinct node: " + lines, lines.size(), ids.size());
        return ids;
    }
}
