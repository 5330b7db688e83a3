package org.conpaas.service.java;

import static org.junit.Assert.assertEquals;

import java.io.File;
import java.nio.file.Path;
import java.util.Map;
import org.conpaas.service.testing.BareAgentRuntime;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The packaged bundle in a bare Felix holding only what the agent runtime holds (see BareAgentRuntime): it must
 * resolve with svc-web-common and service-support embedded, and its agent plug-in must appear exactly when a
 * NodeEnvironment does.
 */
public class AgentRuntimeResolutionIT {

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    @Test
    public void resolvesWithoutKarafAndActivatesThePluginOnlyInsideAnAgent() throws Exception {
        try (BareAgentRuntime runtime = BareAgentRuntime.start(temp.newFolder("felix-cache").toPath(),
                new File(System.getProperty("java.bundle")))) {
            Path workDir = temp.newFolder("node").toPath();
            Object plugin = runtime.checkPluginAppearsOnlyInsideAnAgent("java", workDir);
            Map<?, ?> status = (Map<?, ?>) runtime.invoke((org.osgi.framework.ServiceReference<?>) plugin, "status",
                    Map.of());
            assertEquals(Boolean.FALSE, status.get("backend"));
            assertEquals("", status.get("version"));
        }
    }
}
