package org.conpaas.itests;

import static org.conpaas.itests.DirectorTestSupport.eventually;
import static org.junit.Assert.assertEquals;
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
import org.conpaas.api.State;
import org.conpaas.api.director.Director;
import org.conpaas.api.model.NodeInfo;
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
