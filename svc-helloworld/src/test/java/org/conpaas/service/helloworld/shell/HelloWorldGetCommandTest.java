package org.conpaas.service.helloworld.shell;

import static org.junit.Assert.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.conpaas.api.director.Director;
import org.junit.Test;
import org.conpaas.service.testing.PlainSessionUser;

public class HelloWorldGetCommandTest {

    @Test
    public void printsTheLinesTheDirectorReturns() throws Exception {
        List<Object> invocation = new ArrayList<>();
        HelloWorldGetCommand command = new HelloWorldGetCommand();
        command.bind((Director) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Director.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("invoke")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    invocation.addAll(Arrays.asList(args));
                    return Map.of("helloworld", "Received helloworld from node-1\nReceived helloworld from node-2");
                }), new PlainSessionUser("alice"), "shop", "2");

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            command.execute();
        } finally {
            System.setOut(original);
        }

        assertEquals("acts as the logged-in user",
                List.of("alice", "shop", "2", "get_helloworld", Map.of(), Map.of()), invocation);
        assertEquals("Received helloworld from node-1\nReceived helloworld from node-2" + System.lineSeparator(),
                printed.toString(StandardCharsets.UTF_8));
    }

    @Test
    public void otherResultsArePrintedAsTheyAre() {
        assertEquals("[a, b]", HelloWorldGetCommand.render(List.of("a", "b")));
        assertEquals("{other=1}", HelloWorldGetCommand.render(Map.of("other", 1)));
    }
}
