package org.conpaas.core.internal.bootstrap;

import static org.junit.Assert.assertEquals;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.conpaas.core.internal.testing.AnnotationConfigs;
import org.junit.Test;

public class NodeBootstrapServiceTest {

    private static NodeBootstrapService withUrl(String url) {
        Map<String, Object> values = new HashMap<>(Map.of("port", 9443, "nodeBootstrapTokenSeconds", 0));
        values.put("nodeBootstrapUrl", url);
        return new NodeBootstrapService(null, null, AnnotationConfigs.of(BootstrapConfig.class, values));
    }

    @Test
    public void theDefaultUrlIsTheDirectorsHttpsOnLoopback() {
        assertEquals(URI.create("https://127.0.0.1:9443/api/v1/nodes/bootstrap/agent"), withUrl("").agentUrl());
    }

    @Test
    public void aGivenHttpsUrlIsUsedAsTheBase() {
        assertEquals(URI.create("https://director.example.org:8443/api/v1/nodes/bootstrap/agent"),
                withUrl("https://director.example.org:8443/api/v1/nodes/bootstrap/").agentUrl());
    }

    @Test
    public void aBadUrlKeepsTheComponentWithTheDefault() {
        for (String bad : new String[] {"http://director:8181/api/v1/nodes/bootstrap", "not a url", "https:///x",
                "https://host/it's"}) {
            assertEquals(bad, URI.create("https://127.0.0.1:9443/api/v1/nodes/bootstrap/agent"),
                    withUrl(bad).agentUrl());
        }
    }

    @Test
    public void changesApplyLive() {
        NodeBootstrapService service = withUrl("");
        Map<String, Object> values = new HashMap<>(Map.of("port", 9443,
                "nodeBootstrapUrl", "https://10.0.0.1:8443/api/v1/nodes/bootstrap"));
        service.modified(AnnotationConfigs.of(BootstrapConfig.class, values));
        assertEquals(URI.create("https://10.0.0.1:8443/api/v1/nodes/bootstrap/agent"), service.agentUrl());
    }
}
