package org.conpaas.core.internal.agent;

import org.conpaas.api.AgentException;

/**
 * The call never got an answer from the agent: the connection was refused, or closed before the first byte of an
 * answer. Unlike a refusal (an HTTP error status) it says nothing about the request itself, so a caller setting up a
 * node may ask again while the node is starting.
 */
public final class AgentUnreachableException extends AgentException {
    private static final long serialVersionUID = 1L;

    public AgentUnreachableException(String nodeId, String message, Throwable cause) {
        super(nodeId, message, cause);
    }
}
