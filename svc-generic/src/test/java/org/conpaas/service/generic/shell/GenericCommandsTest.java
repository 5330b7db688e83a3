package org.conpaas.service.generic.shell;

import static org.junit.Assert.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.karaf.shell.api.action.Action;
import org.conpaas.api.director.Director;
import org.junit.Test;
import org.conpaas.service.testing.PlainSessionUser;

public class GenericCommandsTest {

    private final List<Object> invocation = new ArrayList<>();
    private Object answer = Map.of("command", "run", "nodes", 2);

    private Director director() {
        return (Director) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Director.class},
                (proxy, method, args) -> {
                    if (!method.getName().equals("invoke")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    invocation.addAll(Arrays.asList(args));
                    return answer;
                });
    }

    @Test
    public void runPassesTheParametersAsTheLoggedInUser() throws Exception {
        GenericRunCommand command = new GenericRunCommand();
        command.bind(director(), new PlainSessionUser("alice"), "shop", "2");
        command.parameters = "--fast 3";

        String printed = printed(command);

        assertEquals(List.of("alice", "shop", "2", "run", Map.of("parameters", "--fast 3"), Map.of()), invocation);
        assertEquals("run.sh started on every node; see cps:generic-status" + System.lineSeparator(), printed);
    }

    @Test
    public void interruptAndCleanupWithoutParametersSendNone() throws Exception {
        GenericInterruptCommand interrupt = new GenericInterruptCommand();
        interrupt.bind(director(), new PlainSessionUser("bob"), "a", "s");
        printed(interrupt);
        assertEquals(List.of("bob", "a", "s", "interrupt", Map.of(), Map.of()), invocation);

        invocation.clear();
        GenericCleanupCommand cleanup = new GenericCleanupCommand();
        cleanup.bind(director(), new PlainSessionUser("bob"), "a", "s");
        cleanup.parameters = "all";
        printed(cleanup);
        assertEquals(List.of("bob", "a", "s", "cleanup", Map.of("parameters", "all"), Map.of()), invocation);
    }

    @Test
    public void statusIsATableOfNodeScriptAndStatus() throws Exception {
        Map<String, Object> node1 = new LinkedHashMap<>();
        node1.put("init.sh", "STOPPED (return code 0)");
        node1.put("run.sh", "RUNNING");
        Map<String, Object> agents = new LinkedHashMap<>();
        agents.put("node-1", node1);
        agents.put("node-10", Map.of("run.sh", "NEVER STARTED"));
        answer = Map.of("agents", agents);
        GenericStatusCommand command = new GenericStatusCommand();
        command.bind(director(), new PlainSessionUser("alice"), "shop", "2");

        String printed = printed(command);

        assertEquals(List.of("alice", "shop", "2", "get_script_status", Map.of(), Map.of()), invocation);
        assertEquals(String.join(System.lineSeparator(),
                "NODE     SCRIPT   STATUS",
                "node-1   init.sh  STOPPED (return code 0)",
                "node-1   run.sh   RUNNING",
                "node-10  run.sh   NEVER STARTED") + System.lineSeparator(), printed.replace("\n", System.lineSeparator()));
    }

    @Test
    public void unexpectedAnswersArePrintedAsTheyAre() {
        assertEquals("[a]", ScriptStatusTable.render(List.of("a")));
    }

    private static String printed(Action command) throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            command.execute();
        } finally {
            System.setOut(original);
        }
        return printed.toString(StandardCharsets.UTF_8);
    }
}
