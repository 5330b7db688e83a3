package org.conpaas.agent.core;

import static org.junit.Assert.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.Test;

public class AgentConfigurationTest {

    @Test
    public void readsIdentityPathsAndExtraProperties() {
        Map<String, String> values = Map.of(
                "conpaas.node.id", "node-3", "conpaas.node.role", "web", "conpaas.user.id", "alice",
                "conpaas.application.id", "42", "conpaas.service.id", "7", "conpaas.agent.address", "127.0.0.9",
                "conpaas.agent.workDir", "/srv/node-3", "conpaas.agent.keystore", "node.p12",
                "conpaas.agent.truststore", "/etc/ca.p12", "conpaas.agent.storePassword", "pw");
        Map<String, String> all = new java.util.HashMap<>(values);
        all.put("conpaas.prop.greeting", "hello");
        AgentConfiguration config = AgentConfiguration.from(all::get, Set.of("conpaas.prop.greeting"));
        assertEquals("node-3", config.nodeId());
        assertEquals(42L, config.applicationId());
        assertEquals(7, config.serviceId());
        assertEquals(AgentConfiguration.DEFAULT_PORT, config.port());
        assertEquals(Path.of("/srv/node-3/node.p12"), config.keyStore());
        assertEquals(Path.of("/etc/ca.p12"), config.trustStore());
        assertEquals(Path.of("/srv/node-3/logs"), config.logDir());
        assertEquals(Map.of("greeting", "hello"), config.properties());
    }

    @Test(expected = IllegalStateException.class)
    public void aMissingNodeIdIsAClearError() {
        AgentConfiguration.from(Map.of("conpaas.agent.workDir", "/tmp")::get, Set.of());
    }
}
