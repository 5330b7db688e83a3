package org.conpaas.service.helloworld.agent;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.conpaas.api.agent.NodeEnvironment;
import org.conpaas.service.testing.FakeNodeEnvironment;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class HelloWorldAgentPluginTest {

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private NodeEnvironment environment() {
        Path work = temp.getRoot().toPath();
        return new FakeNodeEnvironment("node-1", "127.1.0.1", work, null); // helloworld starts no process
    }

    @Test
    public void answersTheDefaultUntilStartedThenTheGivenString() throws Exception {
        HelloWorldAgentPlugin plugin = new HelloWorldAgentPlugin(environment());
        assertEquals("helloworld", plugin.invoke("get_helloworld", Map.of(), Map.of()));

        assertEquals(Map.of(), plugin.invoke("startup", Map.of("string", "hallo welt"), Map.of()));
        assertEquals("hallo welt", plugin.invoke("get_helloworld", Map.of(), Map.of()));
    }

    @Test
    public void theStringSurvivesAnAgentRestart() throws Exception {
        new HelloWorldAgentPlugin(environment()).invoke("startup", Map.of("string", "persistent ✓"), Map.of());

        HelloWorldAgentPlugin restarted = new HelloWorldAgentPlugin(environment());
        assertEquals("persistent ✓", restarted.invoke("get_helloworld", Map.of(), Map.of()));
        assertTrue(temp.getRoot().toPath().resolve("helloworld/string.txt").toFile().isFile());
    }

    @Test
    public void startupWithoutAStringStoresTheDefault() throws Exception {
        HelloWorldAgentPlugin plugin = new HelloWorldAgentPlugin(environment());
        plugin.invoke("startup", Map.of("string", "first"), Map.of());
        plugin.invoke("startup", new HashMap<>(), Map.of());
        assertEquals("helloworld", plugin.invoke("get_helloworld", Map.of(), Map.of()));
    }

    @Test
    public void badRequestsAreIllegalArguments() throws Exception {
        HelloWorldAgentPlugin plugin = new HelloWorldAgentPlugin(environment());
        try {
            plugin.invoke("reboot", Map.of(), Map.of());
            fail();
        } catch (IllegalArgumentException e) {
            assertEquals("unknown operation reboot", e.getMessage());
        }
        try {
            plugin.invoke("startup", Map.of("string", 42), Map.of());
            fail();
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("parameter string must be a text"));
        }
    }
}
