package org.conpaas.service.mysql;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.conpaas.api.AgentException;
import org.conpaas.api.ConflictException;
import org.conpaas.api.InvalidInputException;
import org.conpaas.api.model.UploadedFile;
import org.conpaas.api.service.ServiceNode;
import org.conpaas.service.testing.FakeServiceContext;
import org.junit.Before;
import org.junit.Test;

/** The manager's scaling rules and refusals, against a recording director stand-in. */
public class MysqlManagerTest {

    private final FakeServiceContext context = new FakeServiceContext();
    private final MysqlManager manager = new MysqlManager(context, 64);
    private final ServiceNode node1 = FakeServiceContext.node("node-1", "mysql");
    private final ServiceNode node2 = FakeServiceContext.node("node-2", "mysql");
    private final ServiceNode node3 = FakeServiceContext.node("node-3", "mysql");
    private final ServiceNode glb = FakeServiceContext.node("node-4", "glb");

    @Before
    public void start() throws Exception {
        // a joiner sees the cluster of its peers
        context.answers = (node, call) -> Map.of("state", "Synced", "clusterSize",
                call.params().get("peers") instanceof List<?> peers ? peers.size() : 1);
        context.nodes.add(node1);
        manager.onStart(List.of(node1));
    }

    @Test
    public void theFirstNodeBootstrapsWithTheServiceUsers() throws Exception {
        assertEquals(List.of("node-1:start_mysql", "node-1:setup_accounts"), context.callSequence());
        assertEquals(true, context.calls.get(0).params().get("bootstrap"));
        assertEquals(List.of("127.1.0.1"), context.calls.get(0).params().get("peers"));
        assertEquals("mysql://127.1.0.1:3306", context.url());
        Map<?, ?> password = (Map<?, ?>) manager.invoke("get_password", Map.of(), Map.of());
        assertEquals(context.calls.get(1).params().get("password"), password.get("password"));
        assertEquals(20, ((String) password.get("password")).length());
        assertFalse("root's password differs from the user's",
                context.calls.get(0).params().get("rootPassword").equals(password.get("password")));
    }

    @Test
    public void mysqlNodesJoinOneByOneThenEveryGlbLearnsThem() throws Exception {
        context.calls.clear();
        context.nodes.addAll(List.of(node2, node3, glb));
        manager.onAddNodes(List.of(node2, node3, glb));
        assertEquals(List.of("node-2:start_mysql", "node-3:start_mysql", "node-1:update_peers",
                "node-2:update_peers", "node-3:update_peers", "node-4:start_glb"), context.callSequence());
        assertEquals(List.of("127.1.0.1", "127.1.0.2"), context.calls.get(0).params().get("peers"));
        assertEquals(false, context.calls.get(0).params().get("bootstrap"));
        assertEquals(List.of("127.1.0.1", "127.1.0.2", "127.1.0.3"), context.calls.get(1).params().get("peers"));
        assertEquals(List.of("127.1.0.1", "127.1.0.2", "127.1.0.3"),
                context.lastCall("node-4", "start_glb").orElseThrow().params().get("backends"));
        assertEquals("the glb is the entry", "mysql://127.1.0.4:3306", context.url());
    }

    @Test
    public void aNodeThatFailsToJoinLeavesWithTheOthersOfItsBatchAndNothingRemembersThem() {
        context.calls.clear();
        context.nodes.addAll(List.of(node2, node3));
        context.answers = (node, call) -> {
            if (node.id().equals("node-3") && call.operation().equals("start_mysql")) {
                throw new AgentException("node-3", "mariadbd exited at start");
            }
            return Map.of("state", "Synced", "clusterSize", call.operation().equals("start_mysql") ? 2 : 1);
        };
        assertThrows(AgentException.class, () -> manager.onAddNodes(List.of(node2, node3)));
        assertEquals(List.of("node-2:start_mysql", "node-3:start_mysql", "node-2:stop_mysql", "node-3:stop_mysql"),
                context.callSequence());
    }

    @Test
    public void removalTakesTheNodeOutOfTheGlbsDrainsItThenItLeaves() throws Exception {
        context.nodes.addAll(List.of(node2, glb));
        manager.onAddNodes(List.of(node2, glb));
        context.calls.clear();
        context.answers = (node, call) -> Map.of("state", "Synced", "clusterSize", 1, "connections", 0);
        manager.onRemoveNodes(List.of(node2));
        assertEquals(List.of("node-4:start_glb", "node-2:drain", "node-2:stop_mysql", "node-1:update_peers",
                "node-1:status"), context.callSequence());
        assertEquals(List.of("127.1.0.1"), context.calls.get(0).params().get("backends"));
    }

    @Test
    public void refusalsChangeNothing() {
        context.nodes.add(glb);
        context.calls.clear();
        InvalidInputException last = assertThrows(InvalidInputException.class,
                () -> manager.checkRemoveNodes(Map.of("mysql", 1)));
        assertEquals(MysqlManager.LAST_MYSQL_STAYS, last.getMessage());
        assertThrows(InvalidInputException.class, () -> manager.checkRemoveNodes(Map.of("glb", 2)));
        InvalidInputException variable = assertThrows(InvalidInputException.class, () -> manager.invoke(
                "set_mysql_params", Map.of("params", Map.of("max_connections", 200, "wsrep_on", "OFF")), Map.of()));
        assertTrue(variable.getMessage(), variable.getMessage().startsWith("the variable wsrep_on cannot be changed"));
        assertThrows(InvalidInputException.class, () -> manager.invoke("set_mysql_params",
                Map.of("params", Map.of("max_connections", "lots")), Map.of()));
        assertThrows(InvalidInputException.class, () -> manager.invoke("set_password",
                Map.of("password", "short"), Map.of()));
        assertThrows(InvalidInputException.class, () -> manager.invoke("set_password",
                Map.of("password", "with space inside"), Map.of()));
        assertEquals("no node was asked anything", List.of(), context.callSequence());
        assertTrue(manager.settings().isEmpty());
    }

    @Test
    public void setPasswordForgetsTheGeneratedOne() throws Exception {
        manager.invoke("set_password", Map.of("password", "Good-Passw0rd"), Map.of());
        assertEquals(Map.of("password", "Good-Passw0rd"),
                context.lastCall("node-1", "set_password").orElseThrow().params());
        assertThrows(ConflictException.class, () -> manager.invoke("get_password", Map.of(), Map.of()));
        assertEquals(false, ((Map<?, ?>) manager.invoke("get_service_info", Map.of(), Map.of())).get("passwordKept"));
    }

    @Test
    public void aPasswordOrADumpIsOnEveryMysqlNodeWhenTheOperationAnswers() throws Exception {
        context.nodes.addAll(List.of(node2, node3, glb));
        manager.onAddNodes(List.of(node2, node3, glb));
        context.calls.clear();
        manager.invoke("set_password", Map.of("password", "Good-Passw0rd"), Map.of());
        assertEquals(List.of("node-1:set_password", "node-2:catch_up", "node-3:catch_up"), context.callSequence());

        context.calls.clear();
        Path dump = Files.createTempFile("mysql-manager", ".sql");
        try {
            Files.writeString(dump, "CREATE DATABASE lib;\n");
            // a node that cannot confirm: the dump is loaded all the same, that node gets it from the cluster
            context.answers = (node, call) -> {
                if (node.id().equals("node-2") && call.operation().equals("catch_up")) {
                    throw new AgentException("node-2", "connection refused");
                }
                return Map.of();
            };
            manager.invoke("load_dump", Map.of(), Map.of("dump",
                    new UploadedFile("dump", "lib.sql", dump)));
            assertEquals(List.of("node-1:load_dump", "node-2:catch_up", "node-3:catch_up"), context.callSequence());
        } finally {
            Files.deleteIfExists(dump);
        }
    }

    @Test
    public void afterAFailureTheRestIsPrimaryAndAReplacementOfTheLastNodeStartsAnEmptyCluster() throws Exception {
        context.nodes.addAll(List.of(node2, glb));
        manager.onAddNodes(List.of(node2, glb));
        context.nodes.remove(node2);
        context.failed.add(node2);
        context.calls.clear();
        manager.onNodesFailed(List.of(node2));
        assertEquals(List.of("node-4:start_glb", "node-1:update_peers", "node-1:make_primary"),
                context.callSequence());

        context.nodes.remove(node1);
        context.nodes.add(node3);
        context.calls.clear();
        manager.onAddNodes(List.of(node3));
        assertEquals(List.of("node-3:start_mysql", "node-3:setup_accounts", "node-3:update_peers",
                "node-4:start_glb"), context.callSequence());
        assertEquals(true, context.calls.get(0).params().get("bootstrap"));
    }
}
