package org.conpaas.itests;

import static org.conpaas.itests.DirectorTestSupport.eventually;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.inject.Inject;
import org.conpaas.api.ConflictException;
import org.conpaas.api.State;
import org.conpaas.api.director.Director;
import org.conpaas.api.model.NodeInfo;
import org.conpaas.api.model.ServiceInfo;
import org.conpaas.api.model.VolumeInfo;
import org.conpaas.api.model.UploadedFile;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TestWatcher;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.exam.util.Filter;

/**
 * The generic service with real scripts on real agents of the local cloud: an uploaded code version's init.sh runs
 * on every node with the node's environment, adding a node notifies the others, and run.sh gets its parameters;
 * each script's output is a node log.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class GenericIT {
    private static final String USER = "admin";
    private static final Duration SETTLE = Duration.ofSeconds(120);

    @Inject
    @Filter(timeout = 120_000)
    private Director director;

    @Rule
    public TestWatcher keepLog = DirectorTestSupport.keepLogOnFailure();

    @Configuration
    public Option[] config() {
        return DirectorTestSupport.distribution("generic");
    }

    @Test
    public void scriptsRunOnRealNodesThroughTheLifeCycle() throws Exception {
        eventually("the generic type is installed", Duration.ofSeconds(60),
                () -> director.serviceTypes().stream().anyMatch(t -> t.name().equals("generic")));
        long app = director.createApplication(USER, "generic-it").id();
        String a = String.valueOf(app);
        try {
            director.startApplication(USER, a);
            String s = String.valueOf(director.addService(USER, a, "generic", "jobs").id());

            Path zip = scripts();
            String version = director.uploadCode(USER, a, s, new UploadedFile("file", "jobs.zip", zip), "test").id();
            director.activateCode(USER, a, s, version);
            assertTrue(director.codeVersions(USER, a, s).get(0).active());

            director.startService(USER, a, s, null);
            assertEquals(State.RUNNING, director.awaitSettled(USER, a, s, SETTLE).state());
            NodeInfo master = director.nodes(USER, a, s).get(0);
            assertEquals("master", master.role());
            eventually("init.sh ran on the master with its environment", Duration.ofSeconds(30),
                    () -> log(a, s, master, "init.out").contains("init role=master ip=" + master.address()
                            + " master=" + master.address()));

            director.addNodes(USER, a, s, Map.of("node", 1), null);
            assertEquals(State.RUNNING, director.awaitSettled(USER, a, s, SETTLE).state());
            NodeInfo added = director.nodes(USER, a, s).get(1);
            eventually("init.sh ran on the new node", Duration.ofSeconds(30),
                    () -> log(a, s, added, "init.out").contains("init role=node ip=" + added.address()
                            + " master=" + master.address()));
            eventually("the master was notified of the new node", Duration.ofSeconds(30),
                    () -> log(a, s, master, "notify.out").lines().anyMatch(
                            l -> l.startsWith("notify agents=") && l.contains(added.address())));

            director.invoke(USER, a, s, "run", Map.of("parameters", "alpha beta"), Map.of());
            eventually("run.sh ran everywhere with its parameters", Duration.ofSeconds(30),
                    () -> log(a, s, master, "run.out").contains("run alpha beta")
                            && log(a, s, added, "run.out").contains("run alpha beta"));
            eventually("the scripts report STOPPED (return code 0)", Duration.ofSeconds(30), () -> String.valueOf(
                    director.invoke(USER, a, s, "get_script_status", Map.of(), Map.of()))
                    .contains("STOPPED (return code 0)"));

            director.stopService(USER, a, s);
            assertEquals(State.STOPPED, director.awaitSettled(USER, a, s, SETTLE).state());
            eventually("no agent process is left", Duration.ofSeconds(30),
                    () -> DirectorTestSupport.agentProcesses(app).isEmpty());
        } finally {
            try {
                director.stopApplication(USER, a);
                director.deleteApplication(USER, a);
            } catch (RuntimeException cleanupFailure) {
                // the assertion above is what matters; leftovers are killed with the container
            }
        }
    }

    @Test
    public void volumesAreRealStorageThatScriptsWriteToWithTheirSizeEnforced() throws Exception {
        eventually("the generic type is installed", Duration.ofSeconds(60),
                () -> director.serviceTypes().stream().anyMatch(t -> t.name().equals("generic")));
        long app = director.createApplication(USER, "generic-volumes").id();
        String a = String.valueOf(app);
        try {
            director.startApplication(USER, a);
            String s = String.valueOf(director.addService(USER, a, "generic", "store").id());
            Path zip = zipOf(Map.of("run.sh", "#!/bin/bash\n"
                    + "if [ \"$1\" = wait ]; then sleep 60; exit 0; fi\n"
                    + "echo hello > \"$MEDIA_DIR/$1/hello\"\n"
                    + "dd if=/dev/zero of=\"$MEDIA_DIR/$1/fill\" bs=1M count=\"$2\" 2>&1\n"
                    + "echo \"dd rc=$?\"\n"));
            director.activateCode(USER, a, s, director.uploadCode(USER, a, s,
                    new UploadedFile("file", "store.zip", zip), "volumes").id());
            director.startService(USER, a, s, null);
            assertEquals(State.RUNNING, director.awaitSettled(USER, a, s, SETTLE).state());
            NodeInfo master = director.nodes(USER, a, s).get(0);

            director.createVolume(USER, a, s, "data", 16, master.id());
            ServiceInfo created = director.awaitSettled(USER, a, s, SETTLE);
            assertEquals(created.stateReason(), State.RUNNING, created.state());
            List<VolumeInfo> volumes = director.volumes(USER, a, s);
            assertEquals(1, volumes.size());
            Path mounted = Path.of(volumes.get(0).path());
            assertEquals("data", mounted.getFileName().toString());
            assertTrue("the volume is a real mount: " + mounted, mountPoints().contains(mounted.toString()));

            director.invoke(USER, a, s, "run", Map.of("parameters", "data 64"), Map.of());
            eventually("run.sh filled the volume", Duration.ofSeconds(30),
                    () -> log(a, s, master, "run.out").contains("dd rc="));
            String run = log(a, s, master, "run.out");
            assertTrue(run, run.contains("No space left on device"));
            assertTrue(run, !run.contains("dd rc=0"));
            assertEquals("hello", Files.readString(mounted.resolve("hello")).strip());
            assertTrue("at most the volume's 16 MB were written",
                    Files.size(mounted.resolve("fill")) <= 16L * 1024 * 1024);

            director.invoke(USER, a, s, "run", Map.of("parameters", "wait"), Map.of());
            eventually("the long run.sh is running", Duration.ofSeconds(30), () -> String.valueOf(
                    director.invoke(USER, a, s, "get_script_status", Map.of(), Map.of())).contains("RUNNING"));
            ConflictException busy = assertThrows(ConflictException.class,
                    () -> director.deleteVolume(USER, a, s, "data"));
            assertTrue(busy.getMessage(), busy.getMessage().contains("Scripts are still running"));
            assertEquals(1, director.volumes(USER, a, s).size());
            director.invoke(USER, a, s, "interrupt", Map.of(), Map.of()); // no interrupt.sh: run.sh is stopped
            eventually("no script runs any more", Duration.ofSeconds(30), () -> !String.valueOf(
                    director.invoke(USER, a, s, "get_script_status", Map.of(), Map.of())).contains("RUNNING"));

            director.deleteVolume(USER, a, s, "data");
            assertEquals(State.RUNNING, director.awaitSettled(USER, a, s, SETTLE).state());
            assertTrue(director.volumes(USER, a, s).isEmpty());
            assertTrue("unmounted", !mountPoints().contains(mounted.toString()));
            assertTrue("its folder is gone", !Files.exists(mounted));

            director.createVolume(USER, a, s, "scratch", 8, master.id());
            director.awaitSettled(USER, a, s, SETTLE);
            Path scratch = Path.of(director.volumes(USER, a, s).get(0).path());
            assertTrue(mountPoints().contains(scratch.toString()));
            director.stopService(USER, a, s);
            assertEquals(State.STOPPED, director.awaitSettled(USER, a, s, SETTLE).state());
            assertTrue("stopping the service destroyed its volume", director.volumes(USER, a, s).isEmpty());
            assertTrue("and unmounted it", !mountPoints().contains(scratch.toString()));
        } finally {
            try {
                director.stopApplication(USER, a);
                director.deleteApplication(USER, a);
            } catch (RuntimeException cleanupFailure) {
                // the assertion above is what matters; leftovers are killed with the container
            }
        }
    }

    /** The mount points of this host (the local cloud's nodes run here). */
    private static List<String> mountPoints() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().map(l -> l.split(" ")[4]).toList();
    }

    private static Path zipOf(Map<String, String> files) throws IOException {
        Path zip = Files.createTempFile("generic-it", ".zip");
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
            for (Map.Entry<String, String> file : files.entrySet()) {
                z.putNextEntry(new ZipEntry(file.getKey()));
                z.write(file.getValue().getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
        return zip;
    }

    private String log(String app, String svc, NodeInfo node, String file) {
        try {
            return director.nodeLog(USER, app, svc, node.id(), file, 0);
        } catch (RuntimeException notYet) {
            return "";
        }
    }

    /** A code version whose scripts print what they were called with and in which environment. */
    private static Path scripts() throws IOException {
        Path zip = Files.createTempFile("generic-it", ".zip");
        Map<String, String> scripts = Map.of(
                "init.sh", "echo \"init role=$MY_ROLE ip=$MY_IP master=$MASTER_IP\"\n",
                "notify.sh", "echo \"notify agents=$(grep -o '\"ip\" *: *\"[^\"]*\"' agents.json | tr -d ' \"' "
                        + "| sed 's/ip://' | tr '\\n' ' ')\"\n",
                "run.sh", "echo \"run $*\"\n",
                "interrupt.sh", "echo interrupt\n",
                "cleanup.sh", "echo cleanup\n");
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
            for (String name : List.of("init.sh", "notify.sh", "run.sh", "interrupt.sh", "cleanup.sh")) {
                z.putNextEntry(new ZipEntry(name));
                z.write(("#!/bin/bash\n" + scripts.get(name)).getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
        return zip;
    }
}
