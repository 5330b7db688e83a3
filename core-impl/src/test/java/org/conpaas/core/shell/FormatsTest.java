package org.conpaas.core.shell;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.conpaas.api.model.NodeInfo;
import org.conpaas.api.model.NodeStatus;
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

    @Test
    public void theNodeTableShowsTheCodeVersionEachNodeServesAndItsMachine() {
        NodeInfo serving = new NodeInfo("node-1", 1, 1, "node", "local", "vm-1", "127.0.0.2", 5555,
                NodeStatus.RUNNING, null, Instant.EPOCH, "code-ab12cd", "container lxc-1, memory 256 MB");
        NodeInfo without = new NodeInfo("node-2", 1, 1, "node", "local", "vm-2", "127.0.0.3", 5555,
                NodeStatus.RUNNING, null, Instant.EPOCH, null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Formats.nodesTable(List.of(serving, without)).print(new PrintStream(out, true, StandardCharsets.UTF_8), false);
        // unformatted: one line per node, columns Id App Service Role Cloud Address Status Code Created Machine
        List<String[]> rows = out.toString(StandardCharsets.UTF_8).lines().map(l -> l.split("\t")).toList();
        assertEquals(List.of("code-ab12cd", "-"), rows.stream().map(r -> r[7].strip()).toList());
        assertEquals(List.of("container lxc-1, memory 256 MB", "-"), rows.stream().map(r -> r[9].strip()).toList());
    }
}
