package org.conpaas.itests;

import static org.conpaas.itests.DirectorTestSupport.eventually;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.inject.Inject;
import org.conpaas.api.ConflictException;
import org.conpaas.api.InvalidInputException;
import org.conpaas.api.State;
import org.conpaas.api.director.Director;
import org.conpaas.api.model.NodeInfo;
import org.conpaas.api.model.ServiceInfo;
import org.conpaas.api.model.UploadedFile;
import org.junit.Before;
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
import org.ops4j.pax.exam.util.Filter;

/**
 * The Flink service on real nodes of the local cloud with a real Flink: started (JobManager and TaskManager on one
 * node, the dashboard as the URL), Flink's WordCount example from Maven Central run through submit_job on a text
 * this test wrote (counts read from the TaskManager's output, a node log), two workers added (6 slots, a job as
 * wide runs) and removed newest first, and bad inputs refused with nothing changed.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FlinkIT {
    private static final String USER = "admin";
    private static final Duration SETTLE = Duration.ofSeconds(240);
    private static final String JAR_PROPERTY = "conpaas.itest.flink.wordcount";
    private static final String TEXT_PROPERTY = "conpaas.itest.flink.text";
    private static final String[] WORDS = {"flink", "conpaas", "osgi", "karaf", "stream"};

    @Inject
    @Filter(timeout = 120_000)
    private Director director;

    @Before
    public void awaitDirectorReady() throws Exception {
        DirectorTestSupport.awaitReady(director);
    }

    @Rule
    public TestWatcher keepLog = DirectorTestSupport.keepLogOnFailure();

    /** Runs outside the container: the text is written here, readable by the nodes' accounts. */
    @Configuration
    public Option[] config() throws Exception {
        Path folder = Files.createTempDirectory("flink-it-");
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path text = folder.resolve("words.txt");
        Files.writeString(text, words(3000));
        Files.setPosixFilePermissions(text, PosixFilePermissions.fromString("rw-r--r--"));
        return OptionUtils.combine(DirectorTestSupport.distribution("flink"),
                editConfigurationFilePut("etc/org.conpaas.director.cfg", "loadSamplePeriodSeconds", "2"),
                systemProperty(JAR_PROPERTY).value(System.getProperty(JAR_PROPERTY)),
                systemProperty(TEXT_PROPERTY).value(text.toString()));
    }

    static String words(int count) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            text.append(WORDS[(i * 7 + i / 3) % WORDS.length]).append(i % 10 == 9 ? "\n" : " ");
        }
        return text.toString();
    }

    @Test
    public void wordCountRunsAndWorkersComeAndGo() throws Exception {
        eventually("the flink type is installed", Duration.ofSeconds(90),
                () -> director.serviceTypes().stream().anyMatch(t -> t.name().equals("flink")));
        String a = String.valueOf(director.createApplication(USER, "flink-it").id());
        try {
            director.startApplication(USER, a);
            String s = String.valueOf(director.addService(USER, a, "flink", "jobs").id());
            director.startService(USER, a, s, null);
            ServiceInfo started = director.awaitSettled(USER, a, s, SETTLE);
            assertEquals(started.stateReason(), State.RUNNING, started.state());
            NodeInfo master = director.nodes(USER, a, s).get(0);
            assertEquals("master", master.role());
            assertEquals("http://" + master.address() + ":8081/", started.url());
            String overview = get(started.url() + "overview");
            assertTrue(overview, overview.contains("\"slots-total\":2") && overview.contains("\"taskmanagers\":1"));
            Map<?, ?> info = info(a, s);
            assertEquals("1.20.0", info.get("flinkVersion"));

            String text = System.getProperty(TEXT_PROPERTY);
            String job = submit(a, s, null, "--input file://" + text + " --execution-mode BATCH", 2);
            awaitFinished(a, s, job);
            Map<String, Integer> expected = new TreeMap<>();
            for (String word : words(3000).split("\\s+")) {
                expected.merge(word, 1, Integer::sum);
            }
            assertEquals(expected, counts(director.nodeLog(USER, a, s, master.id(), "flink-taskmanager.out", 0)));
            assertTrue(director.nodeLog(USER, a, s, master.id(), "flink-jobmanager.log", 50).contains("INFO"));

            // bad inputs: nothing reaches Flink
            Path notAJar = Files.createTempFile("notes-", ".jar");
            Files.writeString(notAJar, "not a jar");
            expectInvalid(() -> director.invoke(USER, a, s, "submit_job", Map.of(), Map.of("jar",
                    new UploadedFile("jar", "notes.jar", notAJar))), "notes.jar is not a jar");
            expectInvalid(() -> submit(a, s, "no.such.Main", "", null), "has no class no.such.Main");
            try {
                submit(a, s, null, "", 3);
                fail("parallelism above the free slots was accepted");
            } catch (ConflictException expectedConflict) {
                assertTrue(expectedConflict.getMessage(), expectedConflict.getMessage().contains("only 2 of 2"));
            }
            assertEquals(1, jobs(a, s).size());
            assertEquals(State.RUNNING, director.service(USER, a, s).state());

            director.addNodes(USER, a, s, Map.of("worker", 2), null);
            ServiceInfo grown = director.awaitSettled(USER, a, s, SETTLE);
            assertEquals(grown.stateReason(), State.RUNNING, grown.state());
            assertEquals(6, ((Number) info(a, s).get("slotsTotal")).intValue());
            // the master speaks for the cluster's slots in the director's samples
            DirectorTestSupport.awaitNodeMetric("conpaas_node_slots_total", master.id(), 6, Duration.ofSeconds(30));
            // three nodes on this host, one Flink lib/: in the local cloud's shared folder, none in a node's cache
            Path cloudDir = Path.of(System.getProperty("karaf.data"), "cloud-local");
            try (Stream<Path> shared = Files.list(cloudDir.resolve("host-share"))) {
                assertEquals(1, shared.filter(p -> p.getFileName().toString().startsWith("flink-1.20.0-lib-")).count());
            }
            try (Stream<Path> nodeFiles = Files.walk(cloudDir.resolve("nodes"), 5)) {
                List<Path> copies = nodeFiles.filter(p -> p.getFileName().toString().startsWith("flink-")
                        && p.getParent().getFileName().toString().equals("cache")).toList();
                assertEquals("no node keeps its own Flink", List.of(), copies);
            }
            // with workers beside it (alone, the core's rule that a service keeps a node answers first)
            expectInvalid(() -> director.removeNodes(USER, a, s, Map.of("master", 1)),
                    "Cannot remove the master node.");
            assertEquals(State.RUNNING, director.service(USER, a, s).state());
            String wide = submit(a, s, null, "--input file://" + text + " --execution-mode BATCH", 6);
            awaitFinished(a, s, wide);

            List<NodeInfo> workers = director.nodes(USER, a, s).stream().filter(n -> n.role().equals("worker"))
                    .toList();
            director.removeNodes(USER, a, s, Map.of("worker", 1));
            assertEquals(State.RUNNING, director.awaitSettled(USER, a, s, SETTLE).state());
            assertEquals(4, ((Number) info(a, s).get("slotsTotal")).intValue());
            List<String> left = director.nodes(USER, a, s).stream().map(NodeInfo::id).toList();
            assertTrue("the newest worker left: " + left, left.contains(workers.get(0).id())
                    && !left.contains(workers.get(1).id()));

            director.stopService(USER, a, s);
            ServiceInfo stopped = director.awaitSettled(USER, a, s, SETTLE);
            assertEquals(State.STOPPED, stopped.state());
            assertNull(stopped.url());
        } finally {
            try {
                director.stopApplication(USER, a);
                director.deleteApplication(USER, a);
            } catch (RuntimeException cleanupFailure) {
                // the assertions above are what matter; leftovers are killed with the container
            }
        }
    }

    private Map<?, ?> info(String a, String s) {
        return (Map<?, ?>) director.invoke(USER, a, s, "get_flink_info", Map.of(), Map.of());
    }

    private List<?> jobs(String a, String s) {
        return (List<?>) ((Map<?, ?>) director.invoke(USER, a, s, "list_jobs", Map.of(), Map.of())).get("jobs");
    }

    private String submit(String a, String s, String entryClass, String args, Integer parallelism) {
        Map<String, Object> params = new HashMap<>();
        params.put("args", args);
        if (entryClass != null) {
            params.put("entry_class", entryClass);
        }
        if (parallelism != null) {
            params.put("parallelism", parallelism);
        }
        Path jar = Path.of(System.getProperty(JAR_PROPERTY));
        Object result = director.invoke(USER, a, s, "submit_job", params, Map.of("jar",
                new UploadedFile("jar", "WordCount.jar", jar)));
        return String.valueOf(((Map<?, ?>) result).get("job_id"));
    }

    private void awaitFinished(String a, String s, String job) throws Exception {
        eventually("job " + job + " finished", Duration.ofSeconds(90), () -> {
            for (Object row : jobs(a, s)) {
                Map<?, ?> j = (Map<?, ?>) row;
                if (job.equals(j.get("id"))) {
                    assertTrue("job " + job + " failed", !"FAILED".equals(j.get("state")));
                    return "FINISHED".equals(j.get("state"));
                }
            }
            return false;
        });
    }

    /** The print sink's lines, "(word,count)" or "k> (word,count)" with parallelism above 1. */
    private static Map<String, Integer> counts(String out) {
        Map<String, Integer> counts = new TreeMap<>();
        for (String line : out.lines().toList()) {
            int open = line.indexOf('(');
            if (open < 0 || !line.endsWith(")")) {
                continue;
            }
            String[] pair = line.substring(open + 1, line.length() - 1).split(",");
            if (pair.length == 2 && pair[1].matches("\\d+")) {
                counts.merge(pair[0], Integer.parseInt(pair[1]), Integer::sum);
            }
        }
        return counts;
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(url, 200, response.statusCode());
        return response.body();
    }

    private interface Call {
        void run() throws Exception;
    }

    private static void expectInvalid(Call call, String message) throws Exception {
        try {
            call.run();
            fail("accepted: " + message);
        } catch (InvalidInputException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains(message));
        }
    }
}
