package org.conpaas.api;

/** A node agent failed an operation, or did not answer in time. */
public class AgentException extends ConpaasException {
    private static final long serialVersionUID = 1L;
    private final String nodeId;

    public AgentException(String nodeId, String message) {
        super(message);
        this.nodeId = nodeId;
    }

    public AgentException(String nodeId, String message, Throwable cause) {
        super(message, cause);
        this.nodeId = nodeId;
    }

    public String nodeId() {
        return nodeId;
    }
}
