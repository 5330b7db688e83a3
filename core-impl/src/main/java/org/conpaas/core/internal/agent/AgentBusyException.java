package org.conpaas.core.internal.agent;

import java.time.Duration;
import org.conpaas.api.AgentException;

/**
 * The agent answered {@code 503}: it is alive and reachable but has as many requests at work as it takes. Not a sign
 * of a failing node; the call may be tried again after {@link #retryAfter()}.
 */
public final class AgentBusyException extends AgentException {
    private static final long serialVersionUID = 1L;
    /** The longest pause a Retry-After header can ask of the director. */
    static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(30);
    static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);

    private final Duration retryAfter;

    public AgentBusyException(String nodeId, String message, Duration retryAfter) {
        super(nodeId, message);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    /** The seconds of a Retry-After header, within 0..{@link #MAX_RETRY_AFTER}; a date or garbage gives the default. */
    static Duration parseRetryAfter(String header) {
        if (header != null) {
            try {
                long seconds = Long.parseLong(header.trim());
                if (seconds >= 0) {
                    return Duration.ofSeconds(Math.min(seconds, MAX_RETRY_AFTER.toSeconds()));
                }
            } catch (NumberFormatException e) {
                // an HTTP date: the agent never sends one
            }
        }
        return DEFAULT_RETRY_AFTER;
    }
}
