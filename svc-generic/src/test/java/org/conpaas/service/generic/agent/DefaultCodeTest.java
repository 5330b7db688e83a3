package org.conpaas.service.generic.agent;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.conpaas.service.testing.FakeNodeEnvironment;
import org.conpaas.service.testing.LocalProcessRunner;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The bundled code-default scripts, installed and run by the plug-in, append their diagnostics to generic.out. */
public class DefaultCodeTest {

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private final LocalProcessRunner runner = new LocalProcessRunner();

    @After
    public void stop() {
        runner.stopAll();
    }

    @Test
    public void everyDefaultScriptRecordsItsCallAndEnvironment() throws Exception {
        Path work = temp.newFolder("node").toPath();
        FakeNodeEnvironment node = new FakeNodeEnvironment("node-1", "master", "127.1.0.1", work, Map.of(), runner);
        GenericAgentPlugin plugin = new GenericAgentPlugin(node, Duration.ofSeconds(1));
        Path archive = temp.getRoot().toPath().resolve("code-default.zip");
        try (OutputStream out = Files.newOutputStream(archive); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (String name : Scripts.NAMES) {
                zip.putNextEntry(new ZipEntry(name + ".sh"));
                try (InputStream script = getClass().getResourceAsStream("/code-default/" + name + ".sh")) {
                    script.transferTo(zip);
                }
            }
        }
        plugin.invoke("init_agent", Map.of("agents", List.of(Map.of("id", "node-1", "ip", "127.1.0.1",
                "role", "master"))), Map.of());
        node.activateCode(plugin, "code-default", archive);
        for (String name : List.of("notify", "run", "cleanup", "interrupt")) {
            awaitIdle(plugin);
            plugin.invoke("execute_script", Map.of("command", name, "parameters", "x y"), Map.of());
        }
        awaitIdle(plugin);
        plugin.deactivate();

        List<String> lines = Files.readAllLines(work.resolve("generic.out"), StandardCharsets.UTF_8);
        List<String> calls = lines.stream().filter(l -> l.startsWith("== ")).map(l -> l.split(" ", 3)[2].strip()).toList();
        assertEquals(List.of("init.sh", "notify.sh x y", "run.sh x y", "cleanup.sh x y", "interrupt.sh x y"), calls);
        assertTrue(lines.toString(), lines.contains("MY_IP=127.1.0.1 MY_ROLE=master MASTER_IP=127.1.0.1"));
        assertTrue(lines.toString(), lines.stream().anyMatch(l -> l.startsWith("agents: [{\"id\": \"node-1\"")));
    }

    private static void awaitIdle(GenericAgentPlugin plugin) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (((Map<?, ?>) plugin.invoke("get_script_status", Map.of(), Map.of())).containsValue("RUNNING")) {
            assertTrue("scripts still running after 10 s", System.nanoTime() < deadline);
            Thread.sleep(20);
        }
    }
}
