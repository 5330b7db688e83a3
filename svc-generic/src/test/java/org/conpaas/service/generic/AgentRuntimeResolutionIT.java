package org.conpaas.service.generic;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.conpaas.service.testing.BareAgentRuntime;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.osgi.framework.ServiceReference;

/**
 * The packaged bundle in a bare Felix holding only what the agent runtime holds (see BareAgentRuntime): it must
 * resolve with service-support embedded, and its agent plug-in must appear exactly when a NodeEnvironment does.
 */
public class AgentRuntimeResolutionIT {

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    @Test
    public void resolvesWithoutKarafAndActivatesThePluginOnlyInsideAnAgent() throws Exception {
        try (BareAgentRuntime runtime = BareAgentRuntime.start(temp.newFolder("felix-cache").toPath(),
                new File(System.getProperty("generic.bundle")))) {
            Path workDir = temp.newFolder("node").toPath();
            ServiceReference<?> plugin = runtime.checkPluginAppearsOnlyInsideAnAgent("generic", workDir);
            runtime.invoke(plugin, "init_agent",
                    Map.of("agents", List.of(Map.of("id", "node-1", "ip", "127.1.0.1", "role", "master"))));
            assertTrue(workDir.resolve("agents.json").toFile().isFile());
            assertEquals("NEVER STARTED",
                    ((Map<?, ?>) runtime.invoke(plugin, "get_script_status", Map.of())).get("run.sh"));
        }
    }
}
