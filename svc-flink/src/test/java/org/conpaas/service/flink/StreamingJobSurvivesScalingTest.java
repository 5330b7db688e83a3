package org.conpaas.service.flink;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.conpaas.api.ConflictException;
import org.conpaas.api.model.UploadedFile;
import org.conpaas.api.service.ServiceNode;
import org.conpaas.service.flink.jobs.CountingJob;
import org.junit.After;
import org.junit.Test;

/**
 * A streaming job that counts events (CountingJob, compiled here) keeps running while a worker is added, and when
 * one is removed restarts from its last checkpoint on the remaining slots: its count continues instead of starting
 * again. A removal that would leave fewer slots than a running job needs is refused with the job named.
 */
public class StreamingJobSurvivesScalingTest {

    private LoopbackFlink flink;

    @After
    public void stop() throws IOException {
        if (flink != null) {
            flink.close();
        }
    }

    @Test
    public void countingJobContinuesFromItsCheckpointAfterAWorkerLeaves() throws Exception {
        flink = new LoopbackFlink();
        ServiceNode master = flink.node(1, FlinkServiceType.MASTER);
        flink.context.nodes.add(master);
        flink.manager.onStart(List.of(master));
        Path jar = countingJar(flink.nodes.base.resolve("counting.jar"));

        String first = submit(jar, "first", 2);
        awaitEvents("first", 50);
        ServiceNode worker = flink.node(2, FlinkServiceType.WORKER);
        flink.context.nodes.add(worker);
        flink.manager.onAddNodes(List.of(worker));
        awaitEvents("first", maxEvents("first") + 50);
        assertFalse("adding a worker does not restart a job", restored(master, first));

        // the master's slots are taken: a second job runs on the worker's two
        String second = submit(jar, "second", 2);
        awaitEvents("second", 50);
        try {
            flink.manager.checkRemoveNodes(Map.of(FlinkServiceType.WORKER, 1));
            fail("a removal leaving too few slots was accepted");
        } catch (ConflictException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains("would leave 2 slots")
                    && expected.getMessage().contains("'counting'") && expected.getMessage().contains("needs 2"));
        }
        flink.manager.invoke(FlinkServiceType.CANCEL_JOB, Map.of(FlinkServiceType.JOB_ID, first), Map.of());
        awaitState(first, "CANCELED");

        awaitCheckpoint(master, second);
        flink.manager.checkRemoveNodes(Map.of(FlinkServiceType.WORKER, 1));
        long beforeRemove = maxEvents("second");
        flink.manager.onRemoveNodes(List.of(worker));
        flink.context.nodes.remove(worker);
        awaitEvents("second", beforeRemove + 100);
        assertEquals("RUNNING", state(second));
        // Flink's REST API caches a job's statistics for a few seconds
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!restored(master, second) && System.nanoTime() < deadline) {
            Thread.sleep(250);
        }
        assertTrue("the job restarted from a checkpoint when its worker left", restored(master, second));
        assertEquals("after the restart the count went on from the checkpoint instead of starting again",
                1, printed("second").stream().filter(n -> n == 10).count());
    }

    private String submit(Path jar, String label, int parallelism) throws Exception {
        Object answer = flink.manager.invoke(FlinkServiceType.SUBMIT_JOB, Map.of(FlinkServiceType.PARALLELISM,
                parallelism, FlinkServiceType.ARGS, label), Map.of(FlinkServiceType.JAR, new UploadedFile(FlinkServiceType.JAR, "counting.jar", jar)));
        return String.valueOf(JobViews.map(answer).get(FlinkServiceType.JOB_ID));
    }

    /** Every "label=N" a job's print sinks wrote, on every node. */
    private List<Long> printed(String label) throws IOException {
        List<Long> values = new ArrayList<>();
        try (Stream<Path> files = Files.walk(flink.nodes.base)) {
            for (Path out : files.filter(p -> p.getFileName().toString().equals("flink-taskmanager.out")).toList()) {
                for (String line : Files.readAllLines(out)) {
                    int at = line.indexOf(label + "=");
                    if (at >= 0) {
                        values.add(Long.parseLong(line.substring(at + label.length() + 1).trim()));
                    }
                }
            }
        }
        return values;
    }

    private long maxEvents(String label) throws IOException {
        return printed(label).stream().mapToLong(Long::longValue).max().orElse(0);
    }

    private void awaitEvents(String label, long atLeast) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (maxEvents(label) < atLeast) {
            if (System.nanoTime() > deadline) {
                fail("job " + label + " counted " + maxEvents(label) + " events, not " + atLeast + ", within 90 s");
            }
            Thread.sleep(200);
        }
    }

    private String state(String job) throws Exception {
        for (Map<String, Object> row : JobViews.jobs(flink.manager.invoke(FlinkServiceType.LIST_JOBS, Map.of(),
                Map.of()))) {
            if (job.equals(row.get("id"))) {
                return String.valueOf(row.get("state"));
            }
        }
        return "";
    }

    private void awaitState(String job, String state) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!state.equals(state(job))) {
            if (System.nanoTime() > deadline) {
                fail("job " + job + " is " + state(job) + ", not " + state);
            }
            Thread.sleep(200);
        }
    }

    /** Whether the job was restored from a checkpoint (Flink's checkpoint statistics, as the dashboard shows). */
    private static boolean restored(ServiceNode master, String job) throws Exception {
        return rest(master, "/jobs/" + job + "/checkpoints").contains("\"restored\":{");
    }

    private static void awaitCheckpoint(ServiceNode master, String job) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!rest(master, "/jobs/" + job + "/checkpoints").matches("(?s).*\"completed\":[1-9].*")) {
            if (System.nanoTime() > deadline) {
                fail("no checkpoint of job " + job + " completed within 60 s");
            }
            Thread.sleep(200);
        }
    }

    private static String rest(ServiceNode master, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + master.address()
                + ":8081" + path)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }

    /** CountingJob's classes (compiled with the tests) as a job jar. */
    private static Path countingJar(Path jar) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, CountingJob.class.getName());
        Path classes = Path.of(CountingJob.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        String folder = CountingJob.class.getPackageName().replace('.', '/');
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest);
                Stream<Path> entries = Files.list(classes.resolve(folder))) {
            for (Path entry : entries.toList()) {
                out.putNextEntry(new JarEntry(folder + "/" + entry.getFileName()));
                Files.copy(entry, out);
                out.closeEntry();
            }
        }
        return jar;
    }
}
