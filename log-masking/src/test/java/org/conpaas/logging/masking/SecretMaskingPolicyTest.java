package org.conpaas.logging.masking;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.ParameterizedMessage;
import org.junit.Test;

public class SecretMaskingPolicyTest {

    private final SecretMaskingPolicy policy = SecretMaskingPolicy.createPolicy();

    private static LogEvent event(String format, Object argument, Throwable thrown) {
        return Log4jLogEvent.newBuilder().setLoggerName("org.eclipse.jetty.server.HttpChannel").setLevel(Level.DEBUG)
                .setMessage(new ParameterizedMessage(format, argument)).setThrown(thrown).build();
    }

    @Test
    public void theFormattedMessageIsMaskedAndTheRestKept() {
        LogEvent source = event("REQUEST {}", "GET / HTTP/1.1\nAuthorization: Basic Ym9iOnNlY3JldDEyMw==", null);
        LogEvent masked = policy.rewrite(source);
        assertEquals("REQUEST GET / HTTP/1.1\nAuthorization: ***", masked.getMessage().getFormattedMessage());
        assertEquals(Level.DEBUG, masked.getLevel());
        assertEquals("org.eclipse.jetty.server.HttpChannel", masked.getLoggerName());
    }

    @Test
    public void anEventWithoutSecretIsPassedOnAsItIs() {
        LogEvent source = event("node {} is RUNNING", "node-1", new IllegalStateException("no secret here"));
        assertSame(source, policy.rewrite(source));
    }

    @Test
    public void exceptionMessagesAndCausesAreMasked() {
        Exception cause = new IllegalArgumentException("bad keystore.password=hunter2");
        LogEvent masked = policy.rewrite(event("failed: {}", "x", new RuntimeException("wrapper", cause)));
        StringWriter out = new StringWriter();
        masked.getThrown().printStackTrace(new PrintWriter(out));
        String trace = out.toString();
        assertFalse(trace, trace.contains("hunter2"));
        assertTrue("the original classes are named: " + trace,
                trace.contains("java.lang.RuntimeException: wrapper")
                        && trace.contains("java.lang.IllegalArgumentException: bad keystore.password=***"));
        assertTrue("the stack is kept: " + trace, trace.contains("SecretMaskingPolicyTest"));
    }
}
