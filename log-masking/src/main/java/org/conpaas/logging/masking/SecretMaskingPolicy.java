package org.conpaas.logging.masking;

import org.apache.logging.log4j.core.Core;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.appender.rewrite.RewritePolicy;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginFactory;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.Message;
import org.apache.logging.log4j.message.SimpleMessage;

/**
 * A Log4j2 rewrite policy that masks secrets (see {@link SecretMasker}) in the message and in the messages of the
 * exception of every event. Used in etc/org.ops4j.pax.logging.cfg as
 * {@code log4j2.appender.masking.rewritePolicy.type = SecretMasking} of a Rewrite appender in front of all others,
 * so the files, the console and the buffer of log:display get the same masked event.
 */
@Plugin(name = "SecretMasking", category = Core.CATEGORY_NAME, elementType = "rewritePolicy", printObject = true)
public final class SecretMaskingPolicy implements RewritePolicy {

    @PluginFactory
    public static SecretMaskingPolicy createPolicy() {
        return new SecretMaskingPolicy();
    }

    @Override
    public LogEvent rewrite(LogEvent source) {
        Message message = source.getMessage();
        String text = message == null ? null : message.getFormattedMessage();
        String maskedText = SecretMasker.mask(text);
        Throwable thrown = source.getThrown();
        Throwable maskedThrown = MaskedThrowable.of(thrown);
        if (maskedText == text && maskedThrown == thrown) {
            return source;
        }
        Log4jLogEvent.Builder builder = new Log4jLogEvent.Builder(source).setThrown(maskedThrown)
                .setThrownProxy(null);
        if (maskedText != text) {
            builder.setMessage(new SimpleMessage(maskedText));
        }
        return builder.build();
    }

    @Override
    public String toString() {
        return "SecretMasking";
    }
}
