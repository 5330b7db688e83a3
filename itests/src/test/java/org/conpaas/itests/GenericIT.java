package org.conpaas.itests;

import static org.conpaas.itests.DirectorTestSupport.eventually;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.inject.Inject;
import org.conpaas.api.State;
import org.conpaas.api.director.Director;
import org.conpaas.api.model.NewUser;
import org.conpaas.api.model.NodeInfo;
import org.conpaas.api.model.UploadedFile;
import org.conpaas.itests.DirectorTestSupport.Api;
import org.conpaas.itests.DirectorTestSupport.Reply;
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
 * The generic service with real scripts on real agents of the local cloud: an uploaded code version's init.sh runs
 * on every node with the node's environment, adding a node notifies the others, and run.sh gets its parameters;
 * each script's output is a node log. Also the interrupt-then-kill escalation, startup scripts and hostile archives
 * through REST. One Karaf boot for the class: every test makes its own application and removes it.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class GenericIT {
    private static final String USER = "admin";
    private static final Duration SETTLE = Duration.ofSeconds(120);
    private static final String BOMB_LIMIT_MB = "20";

    @Inject
    @Filter(timeout = 120_000)
    private Director director;

    @Before
    public void awaitDirectorReady() throws Exception {
        DirectorTestSupport.awaitReady(director);
    }

    @Rule
    public TestWatcher keepLog = DirectorTestSupport.keepLogOnFailure();

    @Configuration
    public Option[] config() {
        // a small expansion limit keeps the archive bomb of the attack test (and the director's check of it) small
        return OptionUtils.combine(DirectorTestSupport.distribution("generic"),
                editConfigurationFilePut("etc/org.conpaas.director.cfg", "maxExpandedMb", BOMB_LIMIT_MB));
    }

    @Test
    public void scriptsRunOnRealNodesThroughTheLifeCycle() throws Exception {
        awaitGenericType();
        GenericScenarios.lifecycle(director, NodeView.LOCAL);
    }

    /**
     * The manual's escalation with a run.sh that will not stop by itself: its child ignores SIGTERM. The first
     * interrupt only starts interrupt.sh (which sleeps too); the second kills every script and child at once.
     * The code is a tar.bz2 made by tar, so agents installing a bzip2 upload is covered as well.
     */
    @Test
    public void aSecondInterruptKillsEveryScriptAndChildOfALongRun() throws Exception {
        awaitGenericType();
        long app = director.createApplication(USER, "generic-interrupt").id();
        String a = String.valueOf(app);
        Set<Long> pids = new LinkedHashSet<>();
        try {
            director.startApplication(USER, a);
            String s = String.valueOf(director.addService(USER, a, "generic", "long").id());
            Path code = tarBz2(Map.of(
                    "init.sh", "echo \"workdir=$PWD\"\n",
                    "run.sh", "echo $$ > run.pid\n"
                            + "bash -c 'trap \"\" TERM; echo $$ > run-child.pid; exec sleep 600' &\n"
                            + "wait\n",
                    "interrupt.sh", "echo $$ > interrupt.pid\nsleep 600 &\necho $! > interrupt-child.pid\nwait\n"));
            String version;
            try {
                version = director.uploadCode(USER, a, s, new UploadedFile("file", "long.tar.bz2", code), null).id();
            } finally {
                Files.delete(code);
            }
            director.activateCode(USER, a, s, version);
            director.startService(USER, a, s, null);
            assertEquals(State.RUNNING, director.awaitSettled(USER, a, s, SETTLE).state());
            NodeInfo master = director.nodes(USER, a, s).get(0);
            Path dir = workDir(a, s, master);

            director.invoke(USER, a, s, "run", Map.of(), Map.of());
            long run = pidIn(dir.resolve("run.pid"), pids);
            long runChild = pidIn(dir.resolve("run-child.pid"), pids);
            assertEquals("RUNNING", scriptStatus(a, s, master, "run.sh"));

            director.invoke(USER, a, s, "interrupt", Map.of(), Map.of());
            pidIn(dir.resolve("interrupt.pid"), pids);
            pidIn(dir.resolve("interrupt-child.pid"), pids);
            assertEquals("RUNNING", scriptStatus(a, s, master, "interrupt.sh"));
            assertEquals("the first interrupt leaves run.sh to interrupt.sh", "RUNNING",
                    scriptStatus(a, s, master, "run.sh"));
            assertTrue("run.sh and its child still live", !gone(run) && !gone(runChild));

            director.invoke(USER, a, s, "interrupt", Map.of(), Map.of());
            eventually("no script and no child of one is left: " + pids, Duration.ofSeconds(30),
                    () -> pids.stream().allMatch(GenericIT::gone));
            eventually("run.sh and interrupt.sh are STOPPED", Duration.ofSeconds(30),
                    () -> scriptStatus(a, s, master, "run.sh").startsWith("STOPPED (return code")
                            && scriptStatus(a, s, master, "interrupt.sh").startsWith("STOPPED (return code"));
        } finally {
            DirectorTestSupport.killAll(pids);
            cleanUp(a);
        }
    }

    /** A startup script set through REST runs on nodes created afterwards only; its output is their startup.log. */
    @Test
    public void aStartupScriptSetThroughRestRunsOnLaterNodesOnly() throws Exception {
        awaitGenericType();
        Api api = DirectorTestSupport.containerApi();
        long app = director.createApplication(USER, "generic-startup").id();
        String a = String.valueOf(app);
        try {
            director.startApplication(USER, a);
            String s = String.valueOf(director.addService(USER, a, "generic", "boot").id());
            director.startService(USER, a, s, null);
            assertEquals(State.RUNNING, director.awaitSettled(USER, a, s, SETTLE).state());
            NodeInfo master = director.nodes(USER, a, s).get(0);

            String service = "/applications/" + a + "/services/" + s;
            String script = "#!/bin/bash\necho \"startup ran in $PWD\"\necho made-by-startup > startup-marker\n";
            api.putText(service + "/startup-script", script).ok();
            assertEquals(script, api.getText(service + "/startup-script").body);

            director.addNodes(USER, a, s, Map.of("node", 1), null);
            assertEquals(State.RUNNING, director.awaitSettled(USER, a, s, SETTLE).state());
            NodeInfo added = director.nodes(USER, a, s).stream().filter(n -> !n.id().equals(master.id()))
                    .findFirst().orElseThrow();

            Reply log = api.getText(service + "/nodes/" + added.id() + "/logs/startup.log");
            assertEquals("startup.log of the new node: " + log, 200, log.status);
            Matcher ranIn = Pattern.compile("startup ran in (/\\S+)").matcher(log.body);
            assertTrue(log.body, ranIn.find());
            assertTrue(log.body, log.body.contains("startup script exited with status 0"));
            Path dir = Path.of(ranIn.group(1));
            assertEquals("made-by-startup\n", Files.readString(dir.resolve("startup-marker")));

            Path masterDir = dir.getParent().resolveSibling(master.vmId()).resolve("work");
            assertTrue("the master's folder " + masterDir, Files.isDirectory(masterDir));
            assertFalse("the master was created before the script", Files.exists(masterDir.resolve("startup-marker")));
            Reply masterLog = api.getText(service + "/nodes/" + master.id() + "/logs/startup.log");
            assertFalse(masterLog.toString(), masterLog.status == 200 && masterLog.body.contains("startup ran"));
        } finally {
            cleanUp(a);
        }
    }

    /**
     * Attack suite (issue 10): on a director running as root (as CI runs it), a plain user's startup script and
     * run.sh try the director's secrets, another node's folder and another user's node log. Everything is denied, and
     * both scripts ran as their node's own account: neither root nor the director's, and from the configured range.
     */
    @Test
    public void aPlainUsersScriptsRunAsTheNodesAccountAndReachNothingOfOthers() throws Exception {
        awaitGenericType();
        long directorUid = ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
        assertEquals("the attack suite runs the director as root, as CI does", 0, directorUid);
        String mallory = "mallory" + Long.toHexString(System.nanoTime() & 0xffffff);
        director.createUser(USER, new NewUser(mallory, mallory + "@example.org", "correct horse battery", null, null,
                null, 1000L, null));
        String victimApp = String.valueOf(director.createApplication(USER, "generic-victim").id());
        String attackerApp = null;
        try {
            director.startApplication(USER, victimApp);
            String victimSvc = String.valueOf(director.addService(USER, victimApp, "generic", "victim").id());
            director.startService(USER, victimApp, victimSvc, null);
            assertEquals(State.RUNNING, director.awaitSettled(USER, victimApp, victimSvc, SETTLE).state());
            NodeInfo victim = director.nodes(USER, victimApp, victimSvc).get(0);
            Path data = Path.of(System.getProperty("karaf.data"));
            Path victimDir = data.resolve("cloud-local/nodes").resolve(victim.vmId());
            Map<String, Path> targets = new java.util.LinkedHashMap<>();
            targets.put("admin-password", data.resolve("conpaas/admin-password.txt"));
            targets.put("ca-key", data.resolve("conpaas/pki/ca-key.pem"));
            targets.put("https-key", data.resolve("conpaas/pki/https-key.pem"));
            targets.put("web-config-passwords", DirectorTestSupport.karafBase().resolve("etc/org.ops4j.pax.web.cfg"));
            targets.put("other-node-store-password", victimDir.resolve("work/agent.properties"));
            targets.put("other-node-key", victimDir.resolve("work/keystore.p12"));
            targets.put("other-node-user-data", victimDir.resolve("work/user-data"));
            targets.put("other-users-node-log", victimDir.resolve("work/logs/agent.log"));
            targets.put("other-node-record", victimDir.resolve("node.properties"));
            StringBuilder probe = new StringBuilder("echo \"uid=$(id -u) gid=$(id -g) groups=$(id -G)\"\n");
            targets.forEach((name, file) -> {
                assertTrue("the target exists: " + file, Files.isRegularFile(file));
                probe.append("if cat '").append(file).append("' > /dev/null; then echo 'ATTACK-OK ").append(name)
                        .append("'; else echo 'DENIED ").append(name).append("'; fi\n");
            });
            probe.append("if ls '").append(victimDir).append("'; then echo 'ATTACK-OK list-other-node'; ")
                    .append("else echo 'DENIED list-other-node'; fi\n");
            int attempts = targets.size() + 1;

            attackerApp = String.valueOf(director.createApplication(mallory, "attack").id());
            director.startApplication(mallory, attackerApp);
            String s = String.valueOf(director.addService(mallory, attackerApp, "generic", "attack").id());
            director.setStartupScript(mallory, attackerApp, s, "#!/bin/bash\n" + probe);
            Path zip = Files.write(Files.createTempFile("generic-attack", ".zip"), zip("run.sh", "#!/bin/bash\n"
                    + probe));
            try {
                director.activateCode(mallory, attackerApp, s, director.uploadCode(mallory, attackerApp, s,
                        new UploadedFile("file", "attack.zip", zip), "attack").id());
            } finally {
                Files.delete(zip);
            }
            director.startService(mallory, attackerApp, s, null);
            assertEquals(State.RUNNING, director.awaitSettled(mallory, attackerApp, s, SETTLE).state());
            NodeInfo node = director.nodes(mallory, attackerApp, s).get(0);
            director.invoke(mallory, attackerApp, s, "run", Map.of(), Map.of());
            String app = attackerApp;
            eventually("run.sh probed everything", Duration.ofSeconds(30), () -> director.nodeLog(mallory, app, s,
                    node.id(), "run.out", 0).contains("list-other-node"));

            for (String logName : List.of("startup.log", "run.out")) {
                String log = director.nodeLog(mallory, attackerApp, s, node.id(), logName, 0);
                Matcher ids = Pattern.compile("uid=(\\d+) gid=(\\d+) groups=(.*)").matcher(log);
                assertTrue(logName + ": " + log, ids.find());
                long uid = Long.parseLong(ids.group(1));
                assertTrue(logName + " ran as root or as the director: " + log, uid != 0 && uid != directorUid);
                assertTrue(logName + " ran as a node account of the range: " + log,
                        uid >= 2_000_000_000L && uid <= 2_000_999_999L);
                assertEquals(logName + ": its own group and no other", ids.group(2), ids.group(3).strip());
                assertFalse(logName + ": " + log, log.contains("ATTACK-OK"));
                assertEquals(logName + ": " + log, attempts, log.lines().filter(l -> l.startsWith("DENIED ")).count());
                assertTrue(logName + ": " + log, log.contains("Permission denied"));
            }
        } finally {
            if (attackerApp != null) {
                try {
                    director.stopApplication(mallory, attackerApp);
                    director.deleteApplication(mallory, attackerApp);
                } catch (RuntimeException cleanupFailure) {
                    // leftovers are killed with the container
                }
            }
            cleanUp(victimApp);
        }
    }

    /**
     * Hostile uploads through REST: each refused with its problem status naming the entry, the version list
     * unchanged, and no file of theirs anywhere under the Karaf home or the temporary folder.
     */
    @Test
    public void archiveAttacksThroughRestAreRefusedAndWriteNothing() throws Exception {
        awaitGenericType();
        Api api = DirectorTestSupport.containerApi();
        long app = director.createApplication(USER, "generic-attacks").id();
        String a = String.valueOf(app);
        String evil = "evil-" + Long.toHexString(System.nanoTime());
        try {
            director.startApplication(USER, a);
            String s = String.valueOf(director.addService(USER, a, "generic", "attacked").id());
            String code = "/applications/" + a + "/services/" + s + "/code";
            JsonNode before = api.get(code).ok();
            assertEquals("code-default only: " + before, 1, before.size());

            record Attack(String fileName, byte[] content, int status, String... detail) {
            }
            List<Attack> attacks = List.of(
                    new Attack("slip.zip", zip("ok.sh", "echo ok", "../../" + evil, "x"), 400,
                            "'../../" + evil + "'"),
                    new Attack("dots.tar", tar(tarFile("scripts/../../" + evil)), 400,
                            "'scripts/../../" + evil + "'"),
                    new Attack("absolute.tar.gz", gzip(tar(tarFile("/tmp/" + evil))), 400, "'/tmp/" + evil + "'",
                            "absolute"),
                    new Attack("link.tar", tar(tarSymlink("out", "../../../.."), tarFile("out/" + evil)), 400,
                            "'out/" + evil + "'", "symbolic link 'out'"),
                    new Attack("bomb.zip", zipOfZeros(evil, 64L * 1024 * 1024), 413,
                            "expands to more than " + BOMB_LIMIT_MB + " MB"),
                    new Attack("script.tar.gz", "#!/bin/sh\necho hello\n".getBytes(StandardCharsets.UTF_8), 415,
                            "not a tar"));
            for (Attack attack : attacks) {
                api.postFile(code, "file", attack.fileName(), attack.content()).problem(attack.status(),
                        attack.detail());
                assertEquals("after " + attack.fileName(), before, api.get(code).ok());
            }
            assertNoFileNamed(evil, DirectorTestSupport.karafBase());
            assertNoFileNamed(evil, Path.of(System.getProperty("java.io.tmpdir")));

            Reply good = api.postFile(code, "file", "good.zip", zip("run.sh", "echo fine"));
            assertEquals("the same endpoint takes a harmless archive: " + good, 201, good.status);
            assertEquals(2, api.get(code).ok().size());
        } finally {
            cleanUp(a);
        }
    }

    @Test
    public void volumesAreRealStorageThatScriptsWriteToWithTheirSizeEnforced() throws Exception {
        awaitGenericType();
        GenericScenarios.volumes(director, NodeView.LOCAL);
    }

    private void awaitGenericType() throws Exception {
        eventually("the generic type is installed", Duration.ofSeconds(60),
                () -> director.serviceTypes().stream().anyMatch(t -> t.name().equals("generic")));
    }

    /** Stops the application's nodes and forgets it; the test's own failure is what matters. */
    private void cleanUp(String app) {
        try {
            director.stopApplication(USER, app);
            director.deleteApplication(USER, app);
        } catch (RuntimeException cleanupFailure) {
            // leftovers are killed with the container
        }
    }

    /** The node's work folder, as the test scripts' init.sh prints it. */
    private Path workDir(String app, String svc, NodeInfo node) throws Exception {
        Pattern workdir = Pattern.compile("workdir=(/\\S+)");
        eventually("init.sh printed its work folder on " + node.id(), Duration.ofSeconds(30),
                () -> workdir.matcher(log(app, svc, node, "init.out")).find());
        Matcher m = workdir.matcher(log(app, svc, node, "init.out"));
        assertTrue(m.find());
        return Path.of(m.group(1));
    }

    private String scriptStatus(String app, String svc, NodeInfo node, String script) {
        Object status = director.invoke(USER, app, svc, "get_script_status", Map.of(), Map.of());
        return DirectorTestSupport.mapper().valueToTree(status).path("agents").path(node.id()).path(script).asText();
    }

    /** Waits for a script to write its PID, and remembers it for the clean-up. */
    private static long pidIn(Path file, Set<Long> pids) throws Exception {
        long[] pid = new long[1];
        eventually(file + " holds a PID", Duration.ofSeconds(30), () -> {
            String text = Files.exists(file) ? Files.readString(file).strip() : "";
            if (!text.matches("\\d+")) {
                return false;
            }
            pid[0] = Long.parseLong(text);
            return true;
        });
        pids.add(pid[0]);
        return pid[0];
    }

    /** Ended: no such process, or a zombie (already dead, only waiting for its parent to collect it). */
    private static boolean gone(long pid) {
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().isAlive()) {
            return true;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException | RuntimeException e) {
            return true; // it went away while we looked
        }
    }

    private static void assertNoFileNamed(String prefix, Path root) throws IOException {
        List<Path> found = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                check(dir);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                check(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE; // other users' folders we may not read
            }

            private void check(Path path) {
                if (path.getFileName() != null && path.getFileName().toString().startsWith(prefix)) {
                    found.add(path);
                }
            }
        });
        assertEquals("files of a refused archive under " + root, List.of(), found);
    }

    /** Scripts packed as tar.bz2 by the tar and bzip2 binaries. */
    private static Path tarBz2(Map<String, String> scripts) throws Exception {
        Path sources = Files.createTempDirectory("generic-it-src");
        Path archive = Files.createTempFile("generic-it", ".tar.bz2");
        try {
            for (Map.Entry<String, String> script : scripts.entrySet()) {
                Files.writeString(sources.resolve(script.getKey()), "#!/bin/bash\n" + script.getValue());
            }
            Process tar = new ProcessBuilder("tar", "-cjf", archive.toString(), "-C", sources.toString(), ".")
                    .redirectErrorStream(true).start();
            String output = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals("tar -cjf: " + output, 0, tar.waitFor());
            return archive;
        } finally {
            for (String name : scripts.keySet()) {
                Files.deleteIfExists(sources.resolve(name));
            }
            Files.delete(sources);
        }
    }

    static byte[] zip(String... namesAndTexts) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            for (int i = 0; i < namesAndTexts.length; i += 2) {
                z.putNextEntry(new ZipEntry(namesAndTexts[i]));
                z.write(namesAndTexts[i + 1].getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
        return out.toByteArray();
    }

    private static byte[] zipOfZeros(String name, long size) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry(name));
            byte[] zeros = new byte[1 << 20];
            for (long left = size; left > 0; left -= zeros.length) {
                z.write(zeros, 0, (int) Math.min(zeros.length, left));
            }
            z.closeEntry();
        }
        return out.toByteArray();
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    /** A ustar header of a small file holding "evil"; written by hand since tar itself strips such names. */
    private static byte[] tarFile(String name) {
        return tarEntry(name, '0', "", "evil\n".getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] tarSymlink(String name, String target) {
        return tarEntry(name, '2', target, new byte[0]);
    }

    private static byte[] tar(byte[]... entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] entry : entries) {
            out.writeBytes(entry);
        }
        out.writeBytes(new byte[1024]);
        return out.toByteArray();
    }

    private static byte[] tarEntry(String name, char type, String link, byte[] data) {
        byte[] header = new byte[512];
        putText(header, 0, name);
        putText(header, 100, "0000644");
        putText(header, 108, "0001750");
        putText(header, 116, "0001750");
        putText(header, 124, String.format("%011o", data.length));
        putText(header, 136, String.format("%011o", 1_700_000_000L));
        header[156] = (byte) type;
        putText(header, 157, link);
        putText(header, 257, "ustar");
        putText(header, 263, "00");
        Arrays.fill(header, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        putText(header, 148, String.format("%06o", sum) + "\0 ");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header);
        out.writeBytes(data);
        out.writeBytes(new byte[(512 - data.length % 512) % 512]);
        return out.toByteArray();
    }

    private static void putText(byte[] header, int offset, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(bytes, 0, header, offset, bytes.length);
    }

    private String log(String app, String svc, NodeInfo node, String file) {
        try {
            return director.nodeLog(USER, app, svc, node.id(), file, 0);
        } catch (RuntimeException notYet) {
            return "";
        }
    }
}
