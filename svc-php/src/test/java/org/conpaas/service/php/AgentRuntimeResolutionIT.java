package org.conpaas.service.php;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;

import java.io.File;
import java.nio.file.Path;
import java.util.Map;
import org.conpaas.service.testing.BareAgentRuntime;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

/**
 * The packaged bundle in a bare Felix holding only what the agent runtime holds (core-api, SCR and its OSGi
 * dependencies; no Karaf): it must resolve with svc-web-common and service-support embedded, and its agent plug-in must appear exactly when a
 * NodeEnvironment does.
 */
public class AgentRuntimeResolutionIT {

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    @Test
    public void resolvesWithoutKarafAndActivatesThePluginOnlyInsideAnAgent() throws Exception {
        try (BareAgentRuntime runtime = BareAgentRuntime.start(temp.newFolder("felix-cache").toPath(),
                new File(System.getProperty("php.bundle")))) {
            assertEquals(Bundle.ACTIVE, runtime.serviceBundle().getState());
            assertNotNull("the service type is there", runtime.await("org.conpaas.api.service.ServiceType"));
            assertFalse("no agent plug-in without a NodeEnvironment", runtime.has("org.conpaas.api.agent.AgentPlugin"));

            Path workDir = temp.newFolder("node").toPath();
            runtime.becomeAgent(workDir);
            ServiceReference<?> plugin = runtime.await("org.conpaas.api.agent.AgentPlugin");
            assertNotNull("the agent plug-in appears inside an agent", plugin);
            assertEquals("php", plugin.getProperty("conpaas.service.type"));
            Map<?, ?> status = (Map<?, ?>) runtime.invoke(plugin, "status", Map.of());
            assertEquals(Boolean.FALSE, status.get("proxy"));
            assertEquals("", status.get("version"));
        }
    }
}
