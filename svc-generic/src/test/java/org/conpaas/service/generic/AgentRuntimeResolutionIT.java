package org.conpaas.service.generic;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.conpaas.service.testing.BareAgentRuntime;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

/**
 * The packaged bundle in a bare Felix holding only what the agent runtime holds (core-api, SCR and its OSGi
 * dependencies; no Karaf): it must resolve with service-support embedded, and its agent plug-in must appear exactly when a
 * NodeEnvironment does.
 */
public class AgentRuntimeResolutionIT {

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    @Test
    public void resolvesWithoutKarafAndActivatesThePluginOnlyInsideAnAgent() throws Exception {
        try (BareAgentRuntime runtime = BareAgentRuntime.start(temp.newFolder("felix-cache").toPath(),
                new File(System.getProperty("generic.bundle")))) {
            assertEquals(Bundle.ACTIVE, runtime.serviceBundle().getState());
            assertNotNull("the service type is there", runtime.await("org.conpaas.api.service.ServiceType"));
            assertFalse("no agent plug-in without a NodeEnvironment", runtime.has("org.conpaas.api.agent.AgentPlugin"));

            Path workDir = temp.newFolder("node").toPath();
            runtime.becomeAgent(workDir);
            ServiceReference<?> plugin = runtime.await("org.conpaas.api.agent.AgentPlugin");
            assertNotNull("the agent plug-in appears inside an agent", plugin);
            assertEquals("generic", plugin.getProperty("conpaas.service.type"));
            runtime.invoke(plugin, "init_agent",
                    Map.of("agents", List.of(Map.of("id", "node-1", "ip", "127.1.0.1", "role", "master"))));
            assertTrue(workDir.resolve("agents.json").toFile().isFile());
            assertEquals("NEVER STARTED",
                    ((Map<?, ?>) runtime.invoke(plugin, "get_script_status", Map.of())).get("run.sh"));
        }
    }
}
