package org.conpaas.service.flink;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.conpaas.api.ConflictException;
import org.conpaas.api.InvalidInputException;
import org.conpaas.api.model.UploadedFile;
import org.conpaas.api.service.ServiceNode;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The Flink service with real Flink processes on loopback nodes (see LoopbackFlink): started, Flink's WordCount
 * example run through submit_job on a generated text with the right counts, two workers added and removed with
 * the slot counts following, and bad inputs refused without changing anything. One cluster for the whole class:
 * starting Flink costs seconds.
 */
public class FlinkServiceOnLoopbackNodesTest {

    private static LoopbackFlink flink;
    private static ServiceNode master;

    @BeforeClass
    public static void startService() throws Exception {
        flink = new LoopbackFlink();
        master = flink.node(1, FlinkServiceType.MASTER);
        flink.context.nodes.add(master);
        flink.manager.onStart(List.of(master));
    }

    @AfterClass
    public static void stopEverything() throws IOException {
        if (flink != null) {
            flink.close();
        }
    }

    @Test
    public void startGivesOneNodeWithJobManagerAndTaskManagerAndTheDashboardAsUrl() throws Exception {
        Map<String, Object> info = info();
        assertEquals(System.getProperty("flink.version", "1.20.0"), info.get("flinkVersion"));
        assertEquals(2, info.get("slotsTotal"));
        assertEquals("http://" + master.address() + ":8081/", flink.context.url());
        assertTrue(Files.isRegularFile(flink.nodes.base.resolve("node-1/logs/flink-jobmanager.log")));
        assertTrue(Files.isRegularFile(flink.nodes.base.resolve("node-1/logs/flink-taskmanager.log")));
        // a second install sends nothing: the node's cache holds every jar
        FlinkDistribution again = new LoopbackFlink.TestDistribution(
                LoopbackFlink.distLib(flink.nodes.base.resolve("director-again")));
        assertEquals(0, again.install(List.of(master), flink.context));
    }

    @Test
    public void wordCountFromMavenCentralFinishesWithTheRightCounts() throws Exception {
        Path text = flink.nodes.base.resolve("words.txt");
        Map<String, Integer> expected = new TreeMap<>();
        StringBuilder words = new StringBuilder();
        String[] vocabulary = {"flink", "conpaas", "osgi", "karaf", "stream"};
        for (int i = 0; i < 2000; i++) {
            String word = vocabulary[(i * 7 + i / 3) % vocabulary.length];
            words.append(word).append(i % 10 == 9 ? "\n" : " ");
            expected.merge(word, 1, Integer::sum);
        }
        Files.writeString(text, words);
        Path out = flink.nodes.base.resolve("wordcount-out");
        String jobId = submit(LoopbackFlink.wordCountJar(), null,
                "--input " + text.toUri() + " --output " + out.toUri() + " --execution-mode BATCH", 2);
        awaitState(jobId, "FINISHED");
        Map<String, Integer> counted = new TreeMap<>();
        try (Stream<Path> files = Files.walk(out)) {
            for (Path part : files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString()
                    .startsWith(".")).toList()) {
                for (String line : Files.readAllLines(part)) {
                    String[] pair = line.substring(1, line.length() - 1).split(",");
                    counted.merge(pair[0], Integer.parseInt(pair[1]), Integer::sum);
                }
            }
        }
        assertEquals(expected, counted);
    }

    @Test
    public void badInputsAreRefusedAndChangeNothing() throws Exception {
        Path notAJar = flink.nodes.base.resolve("notes.txt");
        Files.writeString(notAJar, "not a jar");
        int jobsBefore = jobs().size();
        Object slotsBefore = info().get("slotsTotal");
        expectInvalid(() -> submit(notAJar, null, "", null), "notes.txt is not a jar");
        expectInvalid(() -> submit(LoopbackFlink.wordCountJar(), "no.such.Main", "", null), "has no class no.such.Main");
        try {
            submit(LoopbackFlink.wordCountJar(), null, "", 99);
            fail("parallelism above the free slots was accepted");
        } catch (ConflictException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains("parallelism 99 needs 99 free slots"));
        }
        expectInvalid(() -> flink.manager.checkRemoveNodes(Map.of(FlinkServiceType.MASTER, 1)),
                "Cannot remove the master node.");
        assertEquals(jobsBefore, jobs().size());
        assertEquals(slotsBefore, info().get("slotsTotal"));
    }

    @Test
    public void workersAddSlotsAndLeaveNewestFirst() throws Exception {
        ServiceNode w2 = flink.node(2, FlinkServiceType.WORKER);
        ServiceNode w3 = flink.node(3, FlinkServiceType.WORKER);
        flink.context.nodes.addAll(List.of(w2, w3));
        flink.manager.onAddNodes(List.of(w2, w3));
        Map<String, Object> info = info();
        assertEquals(3, info.get("taskmanagers"));
        assertEquals(6, info.get("slotsTotal"));
        // a job as wide as every slot runs
        Path text = flink.nodes.base.resolve("wide.txt");
        Files.writeString(text, "a b c\n".repeat(500));
        String wide = submit(LoopbackFlink.wordCountJar(), null, "--input " + text.toUri() + " --output "
                + flink.nodes.base.resolve("wide-out").toUri() + " --execution-mode BATCH", 6);
        awaitState(wide, "FINISHED");

        List<ServiceNode> chosen = flink.manager.selectNodesToRemove(Map.of(FlinkServiceType.WORKER, 1),
                flink.context.nodes);
        assertEquals(List.of(w3), chosen);
        flink.manager.checkRemoveNodes(Map.of(FlinkServiceType.WORKER, 1));
        flink.manager.onRemoveNodes(chosen);
        flink.context.nodes.remove(w3);
        assertEquals(4, info().get("slotsTotal"));
        flink.manager.onRemoveNodes(List.of(w2));
        flink.context.nodes.remove(w2);
        assertEquals(2, info().get("slotsTotal"));
    }

    private static Map<String, Object> info() throws Exception {
        return JobViews.map(flink.manager.invoke(FlinkServiceType.GET_INFO, Map.of(), Map.of()));
    }

    private static List<Map<String, Object>> jobs() throws Exception {
        return JobViews.jobs(flink.manager.invoke(FlinkServiceType.LIST_JOBS, Map.of(), Map.of()));
    }

    private static String submit(Path jar, String entryClass, String args, Integer parallelism) throws Exception {
        Map<String, Object> params = new HashMap<>();
        if (entryClass != null) {
            params.put(FlinkServiceType.ENTRY_CLASS, entryClass);
        }
        params.put(FlinkServiceType.ARGS, args);
        if (parallelism != null) {
            params.put(FlinkServiceType.PARALLELISM, parallelism);
        }
        Object answer = flink.manager.invoke(FlinkServiceType.SUBMIT_JOB, params, Map.of(FlinkServiceType.JAR,
                new UploadedFile(FlinkServiceType.JAR, jar.getFileName().toString(), jar)));
        return String.valueOf(JobViews.map(answer).get(FlinkServiceType.JOB_ID));
    }

    private static void awaitState(String jobId, String state) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            for (Map<String, Object> job : jobs()) {
                if (jobId.equals(job.get("id"))) {
                    last = String.valueOf(job.get("state"));
                }
            }
            if (last.equals(state)) {
                return;
            }
            assertTrue("job " + jobId + " is " + last, !List.of("FAILED", "CANCELED").contains(last)
                    || state.equals(last));
            Thread.sleep(200);
        }
        fail("job " + jobId + " is " + last + ", not " + state + ", after 60 s");
    }

    private interface Action {
        void run() throws Exception;
    }

    private static void expectInvalid(Action action, String message) throws Exception {
        try {
            action.run();
            fail("accepted: " + message);
        } catch (InvalidInputException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains(message));
        }
    }
}
