package org.conpaas.service.php;

import static org.junit.Assert.assertEquals;

import java.io.File;
import java.nio.file.Path;
import java.util.Map;
import org.conpaas.service.testing.BareAgentRuntime;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.osgi.framework.ServiceReference;

/**
 * The packaged bundle in a bare Felix holding only what the agent runtime holds (see BareAgentRuntime): it must
 * resolve with svc-web-common and service-support
 * embedded, and its agent plug-in must appear exactly when a NodeEnvironment does.
 */
public class AgentRuntimeResolutionIT {

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    @Test
    public void resolvesWithoutKarafAndActivatesThePluginOnlyInsideAnAgent() throws Exception {
        try (BareAgentRuntime runtime = BareAgentRuntime.start(temp.newFolder("felix-cache").toPath(),
                new File(System.getProperty("php.bundle")))) {
            Path workDir = temp.newFolder("node").toPath();
            ServiceReference<?> plugin = runtime.checkPluginAppearsOnlyInsideAnAgent("php", workDir);
            Map<?, ?> status = (Map<?, ?>) runtime.invoke(plugin, "status", Map.of());
            assertEquals(Boolean.FALSE, status.get("proxy"));
            assertEquals("", status.get("version"));
        }
    }
}
