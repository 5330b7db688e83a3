package org.conpaas.core.shell;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.Test;

public class FormatsTest {

    @Test
    public void aSingleTextValuePrintsAsItsLines() {
        assertEquals("Received helloworld from node-1\nReceived helloworld from node-2",
                Formats.operationResult(Map.of("helloworld",
                        "Received helloworld from node-1\nReceived helloworld from node-2\n")));
    }

    @Test
    public void aFlatMapPrintsKeyValueLinesAndNestedDataPrintsAsJson() {
        Map<String, Object> flat = new LinkedHashMap<>();
        flat.put("state", "RUNNING");
        flat.put("nodes", 3);
        assertEquals("state: RUNNING\nnodes: 3", Formats.operationResult(flat));
        String nested = Formats.operationResult(Map.of("nodes", List.of("node-1", "node-2")));
        assertTrue(nested, nested.contains("\"nodes\"") && nested.contains("\"node-2\""));
    }
}
