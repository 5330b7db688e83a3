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
import org.conpaas.api.ConflictException;
import org.conpaas.api.InvalidInputException;
import org.conpaas.api.State;
import org.conpaas.api.director.Director;
import org.conpaas.api.model.NodeInfo;
import org.conpaas.api.model.ServiceInfo;
import org.conpaas.api.model.UploadedFile;
import org.conpaas.api.model.VolumeInfo;

/**
 * The Generic service's scenarios, run by {@link GenericIT} on the local cloud and by {@link LxcCloudIT} on the LXC
 * cloud: the cloud is a parameter ({@link NodeView}), the steps and assertions are the same.
 */
final class GenericScenarios {

    private static final String USER = "admin";
    private static final Duration SETTLE = Duration.ofSeconds(120);

    private GenericScenarios() {
    }

    /**
     * The scripts run on real nodes through the life cycle: init.sh on every node with the node's environment,
     * adding a node notifies the others, run.sh gets its parameters, each script's output is a node log.
     */
    static void lifecycle(Director director, NodeView nodes) throws Exception {
        long app = director.createApplication(USER, "generic-it").id();
        String a = String.valueOf(app);
        try {
            director.startApplication(USER, a);
            String s = String.valueOf(director.addService(USER, a, "generic", "jobs").id());

            Path zip = scripts();
            String version = director.uploadCode(USER, a, s, new UploadedFile("file", "jobs.zip", zip), "test").id();
            director.activateCode(USER, a, s, version);
            assertTrue(director.codeVersions(USER, a, s).get(0).active());

            director.startService(USER, a, s, nodes.cloud());
            assertEquals(State.RUNNING, director.awaitSettled(USER, a, s, SETTLE).state());
            NodeInfo master = director.nodes(USER, a, s).get(0);
            assertEquals("master", master.role());
            eventually("init.sh ran on the master with its environment", Duration.ofSeconds(30),
                    () -> log(director, a, s, master, "init.out").contains("init role=master ip=" + master.address()
                            + " master=" + master.address()));

            director.addNodes(USER, a, s, Map.of("node", 1), null);
            ServiceInfo afterAdd = director.awaitSettled(USER, a, s, SETTLE);
            assertEquals(afterAdd.stateReason(), State.RUNNING, afterAdd.state());
            assertEquals(afterAdd.stateReason(), 2, director.nodes(USER, a, s).size());
            NodeInfo added = director.nodes(USER, a, s).get(1);
            eventually("init.sh ran on the new node", Duration.ofSeconds(30),
                    () -> log(director, a, s, added, "init.out").contains("init role=node ip=" + added.address()
                            + " master=" + master.address()));
            eventually("the master was notified of the new node", Duration.ofSeconds(30),
                    () -> log(director, a, s, master, "notify.out").lines().anyMatch(
                            l -> l.startsWith("notify agents=") && l.contains(added.address())));

            director.invoke(USER, a, s, "run", Map.of("parameters", "alpha beta"), Map.of());
            eventually("run.sh ran everywhere with its parameters", Duration.ofSeconds(30),
                    () -> log(director, a, s, master, "run.out").contains("run alpha beta")
                            && log(director, a, s, added, "run.out").contains("run alpha beta"));
            eventually("the scripts report STOPPED (return code 0)", Duration.ofSeconds(30), () -> String.valueOf(
                    director.invoke(USER, a, s, "get_script_status", Map.of(), Map.of()))
                    .contains("STOPPED (return code 0)"));
            director.invoke(USER, a, s, "cleanup", Map.of(), Map.of());
            eventually("cleanup.sh ran everywhere", Duration.ofSeconds(30),
                    () -> log(director, a, s, master, "cleanup.out").contains("cleanup")
                            && log(director, a, s, added, "cleanup.out").contains("cleanup"));

            InvalidInputException masterStays = assertThrows(InvalidInputException.class,
                    () -> director.removeNodes(USER, a, s, Map.of("master", 1)));
            assertTrue(masterStays.getMessage(), masterStays.getMessage().contains("master"));
            director.removeNodes(USER, a, s, Map.of("node", 1));
            assertEquals(State.RUNNING, director.awaitSettled(USER, a, s, SETTLE).state());
            assertEquals(List.of(master.id()), director.nodes(USER, a, s).stream().map(NodeInfo::id).toList());
            eventually("the master was notified once more, of itself alone", Duration.ofSeconds(30), () -> {
                List<String> notified = log(director, a, s, master, "notify.out").lines()
                        .filter(l -> l.startsWith("notify agents=")).toList();
                return notified.size() == 2 && !notified.get(1).contains(added.address())
                        && notified.get(1).contains(master.address());
            });
            assertEquals("init.sh ran once on the master", 1, log(director, a, s, master, "init.out").lines()
                    .filter(l -> l.startsWith("init ")).count());

            director.stopService(USER, a, s);
            assertEquals(State.STOPPED, director.awaitSettled(USER, a, s, SETTLE).state());
            eventually("no agent process is left", Duration.ofSeconds(30),
                    () -> nodes.agentsGone(app));
        } finally {
            cleanUp(director, a);
        }
    }

    /** Volumes are real storage the scripts write to, their size enforced, unmounted when deleted or stopped. */
    static void volumes(Director director, NodeView nodes) throws Exception {
        long app = director.createApplication(USER, "generic-volumes").id();
        String a = String.valueOf(app);
        try {
            director.startApplication(USER, a);
            String s = String.valueOf(director.addService(USER, a, "generic", "store").id());
            Path zip = Files.write(Files.createTempFile("generic-volumes", ".zip"), GenericIT.zip("run.sh", "#!/bin/bash\n"
                    + "if [ \"$1\" = wait ]; then sleep 60; exit 0; fi\n"
                    + "echo hello > \"$MEDIA_DIR/$1/hello\"\n"
                    + "dd if=/dev/zero of=\"$MEDIA_DIR/$1/fill\" bs=1M count=\"$2\" 2>&1\n"
                    + "echo \"dd rc=$?\"\n"));
            director.activateCode(USER, a, s, director.uploadCode(USER, a, s,
                    new UploadedFile("file", "store.zip", zip), "volumes").id());
            director.startService(USER, a, s, nodes.cloud());
            assertEquals(State.RUNNING, director.awaitSettled(USER, a, s, SETTLE).state());
            NodeInfo master = director.nodes(USER, a, s).get(0);

            director.createVolume(USER, a, s, "data", 16, master.id());
            ServiceInfo created = director.awaitSettled(USER, a, s, SETTLE);
            assertEquals(created.stateReason(), State.RUNNING, created.state());
            List<VolumeInfo> volumes = director.volumes(USER, a, s);
            assertEquals(1, volumes.size());
            String mounted = volumes.get(0).path();
            Path onHost = nodes.onHost(master, mounted);
            assertEquals("data", Path.of(mounted).getFileName().toString());
            assertTrue("the volume is a real mount: " + mounted, nodes.mountPoints(master).contains(mounted));

            director.invoke(USER, a, s, "run", Map.of("parameters", "data 64"), Map.of());
            eventually("run.sh filled the volume", Duration.ofSeconds(30),
                    () -> log(director, a, s, master, "run.out").contains("dd rc="));
            String run = log(director, a, s, master, "run.out");
            assertTrue(run, run.contains("No space left on device"));
            assertTrue(run, !run.contains("dd rc=0"));
            assertEquals("hello", Files.readString(onHost.resolve("hello")).strip());
            assertTrue("at most the volume's 16 MB were written",
                    Files.size(onHost.resolve("fill")) <= 16L * 1024 * 1024);

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
            assertTrue("unmounted", !nodes.mountPoints(master).contains(mounted));
            assertTrue("its folder is gone", !Files.exists(onHost));

            director.createVolume(USER, a, s, "scratch", 8, master.id());
            director.awaitSettled(USER, a, s, SETTLE);
            String scratch = director.volumes(USER, a, s).get(0).path();
            assertTrue(nodes.mountPoints(master).contains(scratch));
            director.stopService(USER, a, s);
            assertEquals(State.STOPPED, director.awaitSettled(USER, a, s, SETTLE).state());
            assertTrue("stopping the service destroyed its volume", director.volumes(USER, a, s).isEmpty());
            assertTrue("and unmounted it", !nodes.mountPoints(master).contains(scratch));
        } finally {
            cleanUp(director, a);
        }
    }

    private static void cleanUp(Director director, String app) {
        try {
            director.stopApplication(USER, app);
            director.deleteApplication(USER, app);
        } catch (RuntimeException cleanupFailure) {
            // the test's own failure is what matters; leftovers are killed with the container
        }
    }

    private static String log(Director director, String app, String svc, NodeInfo node, String file) {
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
