package org.conpaas.service.generic.agent;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.conpaas.service.testing.FakeNodeEnvironment;
import org.conpaas.service.testing.LocalProcessRunner;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The plug-in with real bash scripts in a temporary node folder. */
public class GenericAgentPluginTest {

    private static final List<Map<String, Object>> AGENTS = List.of(
            Map.of("id", "node-1", "ip", "127.1.0.1", "role", "master"),
            Map.of("id", "node-2", "ip", "127.1.0.2", "role", "node"));

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private final LocalProcessRunner runner = new LocalProcessRunner();
    private final List<Long> pidsToKill = new ArrayList<>();
    private Path work;
    private Path sources;
    private GenericAgentPlugin plugin;
    private FakeNodeEnvironment node;

    @Before
    public void setUp() throws IOException {
        work = temp.newFolder("node").toPath();
        sources = temp.newFolder("sources").toPath();
        node = new FakeNodeEnvironment("node-2", "node", "127.1.0.2", work, Map.of(), runner);
        plugin = new GenericAgentPlugin(node, Duration.ofSeconds(1));
    }

    /** What the agent does when the director activates a version: stores it, switches, tells the plug-in. */
    private void activate(String version, Path archive) throws Exception {
        node.activateCode(plugin, version, archive);
    }

    /** The manager's first call to a node: its membership. */
    private void joined() throws Exception {
        plugin.invoke("init_agent", Map.of("agents", AGENTS), Map.of());
    }

    @After
    public void cleanUp() {
        plugin.deactivate();
        runner.stopAll();
        for (long pid : pidsToKill) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    public void initAgentWritesTheMembership() throws Exception {
        plugin.invoke("init_agent", Map.of("agents", AGENTS), Map.of());
        assertEquals("[{\"id\": \"node-1\", \"ip\": \"127.1.0.1\", \"role\": \"master\"}, "
                        + "{\"id\": \"node-2\", \"ip\": \"127.1.0.2\", \"role\": \"node\"}]\n",
                Files.readString(work.resolve("agents.json")));

        plugin.invoke("init_agent", Map.of("agents", AGENTS.subList(0, 1)), Map.of());
        assertEquals("[{\"id\": \"node-1\", \"ip\": \"127.1.0.1\", \"role\": \"master\"}]\n",
                Files.readString(work.resolve("agents.json")));
    }

    @Test
    public void scriptsSeeTheVariablesOtherServicesPublishedButNeverOverOwnOrShellOnes() throws Exception {
        script("init.sh", "env | sort > \"$HOME/init.env\"");
        activate("code-vars", tarGz());
        plugin.invoke("init_agent", Map.of("agents", AGENTS, "variables",
                Map.of("XTREEMFS_MASTER", "198.19.0.2", "XTREEMFS_PASSWORD_DATA", "s3cr3t pass")), Map.of());
        awaitStatus("init.sh", "STOPPED (return code 0)");
        List<String> env = Files.readAllLines(work.resolve("init.env"));
        assertTrue(env.toString(), env.contains("XTREEMFS_MASTER=198.19.0.2"));
        assertTrue(env.toString(), env.contains("XTREEMFS_PASSWORD_DATA=s3cr3t pass"));
        for (String refused : List.of("PATH", "MY_IP", "BASH_ENV", "LD_PRELOAD", "lower")) {
            assertThrows(refused, IllegalArgumentException.class, () -> plugin.invoke("execute_script",
                    Map.of("command", "run", "variables", Map.of(refused, "x")), Map.of()));
        }
    }

    @Test
    public void anActivatedVersionRunsInitInACleanEnvironment() throws Exception {
        script("init.sh", "env | sort > \"$HOME/init.env\"; pwd > init.pwd; echo init >> calls; echo to-the-log; exit 0");
        joined();
        activate("code-abc123", tarGz());

        awaitStatus("init.sh", "STOPPED (return code 0)");
        assertEquals(work.resolve("code/code-abc123").toRealPath(), node.codeDir().toRealPath());
        assertEquals(List.of("init"), Files.readAllLines(work.resolve("calls")));
        assertEquals(work.toRealPath().toString(), Files.readString(work.resolve("init.pwd")).trim());
        List<String> env = Files.readAllLines(work.resolve("init.env"));
        assertTrue(env.toString(), env.contains("MY_IP=127.1.0.2"));
        assertTrue(env.toString(), env.contains("MY_ROLE=node"));
        assertTrue(env.toString(), env.contains("MASTER_IP=127.1.0.1"));
        assertTrue(env.toString(), env.contains("PATH=/usr/local/bin:/usr/bin:/bin"));
        assertTrue(env.toString(), env.contains("HOME=" + work));
        assertTrue(env.toString(), env.contains("MEDIA_DIR=" + work.resolve("media")));
        for (String line : env) {
            String name = line.substring(0, line.indexOf('='));
            // only ours and what bash itself exports; nothing of the agent's own environment
            assertTrue(line, List.of("MY_IP", "MY_ROLE", "MASTER_IP", "MEDIA_DIR", "PATH", "HOME", "PWD", "SHLVL", "_",
                    "OLDPWD").contains(name));
        }
        assertTrue(Files.readString(work.resolve("logs/init.out")).contains("to-the-log"));
    }

    @Test
    public void codeThatArrivesBeforeTheMembershipRunsItsInitOnceTheMembershipComes() throws Exception {
        script("init.sh", "echo \"$MY_ROLE $MASTER_IP\" >> calls");
        activate("code-default", tarGz());
        Thread.sleep(200);
        assertEquals("NEVER STARTED", status().get("init.sh"));
        joined();
        awaitStatus("init.sh", "STOPPED (return code 0)");
        assertEquals(List.of("node 127.1.0.1"), Files.readAllLines(work.resolve("calls")));
        joined();
        Thread.sleep(200);
        assertEquals("init.sh runs once per version", List.of("node 127.1.0.1"),
                Files.readAllLines(work.resolve("calls")));
    }

    @Test
    public void aNewVersionStopsRunningScriptsSwitchesTheCodeAndRunsItsInit() throws Exception {
        joined();
        script("init.sh", "echo v1 >> calls");
        script("run.sh", "sleep 300 & echo $! > run.child; wait");
        activate("code-000001", tarGz());
        awaitStatus("init.sh", "STOPPED (return code 0)");
        plugin.invoke("execute_script", Map.of("command", "run"), Map.of());
        await(() -> Files.exists(work.resolve("run.child")));
        long child = Long.parseLong(Files.readString(work.resolve("run.child")).trim());
        pidsToKill.add(child);

        Files.delete(sources.resolve("run.sh"));
        script("init.sh", "echo v2 >> calls");
        activate("code-000002", zip(Map.of(
                "init.sh", Files.readString(sources.resolve("init.sh")), "lib/data.txt", "data")));

        awaitStatus("init.sh", "STOPPED (return code 0)");
        assertEquals(List.of("v1", "v2"), Files.readAllLines(work.resolve("calls")));
        await(() -> !ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false)); // its children are gone
        assertTrue(plugin.invoke("get_script_status", Map.of(), Map.of()).toString(),
                ((String) status().get("run.sh")).startsWith("STOPPED"));
        assertEquals("data", Files.readString(node.codeDir().resolve("lib/data.txt")));
        assertEquals(java.util.Optional.of("code-000002"), node.codeVersion());
    }

    @Test
    public void scriptsGetTheirParametersAndTheirStatusIsReported() throws Exception {
        joined();
        script("init.sh", "exit 0");
        script("run.sh", "for a in \"$@\"; do echo \"$a\" >> run.args; done; echo \"role $MY_ROLE\"; "
                + "while [ ! -f go ]; do sleep 0.05; done; exit 3");
        activate("v1", tarGz());
        assertEquals(Map.of("init.sh", "STOPPED (return code 0)", "notify.sh", "NEVER STARTED",
                "run.sh", "NEVER STARTED", "interrupt.sh", "NEVER STARTED", "cleanup.sh", "NEVER STARTED"),
                statusAfterInit());

        plugin.invoke("execute_script", Map.of("command", "run", "parameters", " a  b\tc ", "agents", AGENTS),
                Map.of());
        assertEquals("RUNNING", status().get("run.sh"));
        Files.writeString(work.resolve("go"), "");
        awaitStatus("run.sh", "STOPPED (return code 3)");
        assertEquals(List.of("a", "b", "c"), Files.readAllLines(work.resolve("run.args")));
        assertTrue(Files.readString(work.resolve("logs/run.out")).contains("role node"));
        assertTrue("agents.json is rewritten", Files.readString(work.resolve("agents.json")).contains("node-1"));
    }

    @Test
    public void aMissingScriptIsLoggedAndIgnored() throws Exception {
        joined();
        activate("v1", tarGz());
        plugin.invoke("execute_script", Map.of("command", "notify"), Map.of());
        assertEquals("NEVER STARTED", status().get("notify.sh"));
        assertTrue(Files.readString(work.resolve("logs/notify.out")).contains("notify.sh is not in the code version"));
    }

    @Test
    public void interruptRunsInterruptThenStopsWhatStillRuns() throws Exception {
        joined();
        script("run.sh", "sleep 300 & echo $! > run.child; wait");
        script("interrupt.sh", "echo interrupted >> calls; sleep 0.2");
        activate("v1", tarGz());
        plugin.invoke("execute_script", Map.of("command", "run"), Map.of());
        await(() -> Files.exists(work.resolve("run.child")));
        long child = Long.parseLong(Files.readString(work.resolve("run.child")).trim());
        pidsToKill.add(child);

        plugin.invoke("execute_script", Map.of("command", "interrupt"), Map.of());

        awaitStatus("interrupt.sh", "STOPPED (return code 0)");
        awaitStatus("run.sh", "STOPPED (return code 143)");
        assertEquals(List.of("interrupted"), Files.readAllLines(work.resolve("calls")));
        await(() -> !ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false));
    }

    @Test
    public void aSecondInterruptKillsEveryScriptAndItsChildren() throws Exception {
        joined();
        // Both scripts ignore TERM, and so do their children: only the escalation's KILL ends them.
        script("run.sh", "trap '' TERM; sleep 300 & echo $! > run.child; while true; do sleep 0.1; done");
        script("interrupt.sh", "trap '' TERM; sleep 300 & echo $! > interrupt.child; while true; do sleep 0.1; done");
        activate("v1", tarGz());
        plugin.invoke("execute_script", Map.of("command", "run"), Map.of());
        plugin.invoke("execute_script", Map.of("command", "interrupt"), Map.of());
        await(() -> Files.exists(work.resolve("run.child")) && Files.exists(work.resolve("interrupt.child")));
        List<Long> children = List.of(Long.parseLong(Files.readString(work.resolve("run.child")).trim()),
                Long.parseLong(Files.readString(work.resolve("interrupt.child")).trim()));
        pidsToKill.addAll(children);
        assertEquals("RUNNING", status().get("run.sh"));
        assertEquals("RUNNING", status().get("interrupt.sh"));

        long started = System.nanoTime();
        plugin.invoke("execute_script", Map.of("command", "interrupt"), Map.of());

        assertTrue("killed without waiting for a grace period",
                System.nanoTime() - started < TimeUnit.MILLISECONDS.toNanos(900));
        assertEquals("STOPPED (return code 137)", status().get("run.sh"));
        assertEquals("STOPPED (return code 137)", status().get("interrupt.sh"));
        for (long child : children) {
            await(() -> !ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false));
        }
    }

    @Test
    public void badRequestsAreIllegalArguments() throws Exception {
        for (Map<String, Object> params : List.<Map<String, Object>>of(Map.of("command", "reboot"),
                Map.of("command", "run", "parameters", 3), Map.of("command", "run", "agents", "not a list"))) {
            try {
                plugin.invoke("execute_script", params, Map.of());
                fail(params.toString());
            } catch (IllegalArgumentException expected) {
                // the agent answers 400
            }
        }
    }

    private Map<String, Object> status() throws Exception {
        return (Map<String, Object>) plugin.invoke("get_script_status", Map.of(), Map.of());
    }

    private Map<String, Object> statusAfterInit() throws Exception {
        awaitStatus("init.sh", "STOPPED (return code 0)");
        return status();
    }

    private void awaitStatus(String script, String expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!expected.equals(status().get(script)) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(script, expected, status().get(script));
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("condition not met in 10 s");
            }
            Thread.sleep(20);
        }
    }

    private void script(String name, String body) throws IOException {
        Files.writeString(sources.resolve(name), "#!/bin/bash\n" + body + "\n");
    }

    /** A real tar.gz of the sources folder, made by tar itself; entries are "./init.sh" etc. */
    private Path tarGz() throws Exception {
        Path archive = temp.getRoot().toPath().resolve("code-" + System.nanoTime() + ".tar.gz");
        exec("tar", "-czf", archive.toString(), "-C", sources.toString(), ".");
        return archive;
    }

    private Path zip(Map<String, String> entries) throws IOException {
        Path archive = temp.getRoot().toPath().resolve("code-" + System.nanoTime() + ".zip");
        try (OutputStream out = Files.newOutputStream(archive); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, String> entry : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return archive;
    }

    private static void exec(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(output, process.waitFor(10, TimeUnit.SECONDS));
        assertEquals(output, 0, process.exitValue());
    }
}
