package org.conpaas.service.php.shell;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.conpaas.api.InvalidInputException;
import org.conpaas.api.director.Director;
import org.junit.Test;
import org.conpaas.service.testing.PlainSessionUser;

public class PhpDebugCommandTest {

    private final List<Object> invocation = new ArrayList<>();

    private PhpDebugCommand command(String mode) {
        PhpDebugCommand command = new PhpDebugCommand();
        command.bind((Director) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Director.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("invoke")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    invocation.addAll(Arrays.asList(args));
                    return Map.of();
                }), new PlainSessionUser("alice"), "shop", "web");
        command.mode = mode;
        return command;
    }

    @Test
    public void onAndOffSetDisplayErrorsAsTheLoggedInUser() {
        command("on").execute();
        assertEquals(List.of("alice", "shop", "web", "update_php_configuration",
                Map.of("phpconf", Map.of("display_errors", "On")), Map.of()), invocation);
        invocation.clear();
        command("OFF").execute();
        assertEquals(Map.of("phpconf", Map.of("display_errors", "Off")), invocation.get(4));
    }

    @Test
    public void anyOtherModeIsRefusedWithoutACall() {
        try {
            command("maybe").execute();
            fail("accepted maybe");
        } catch (InvalidInputException expected) {
            assertEquals("mode must be on or off, not maybe", expected.getMessage());
        }
        assertEquals(List.of(), invocation);
    }
}
