package org.conpaas.api.model;

/** The director's view of one node. */
public enum NodeStatus {
    /** Asked of the cloud; its agent has not answered yet. */
    LAUNCHING,
    /** Its agent answers and the service plug-in is installed. */
    RUNNING,
    /** Its agent stopped answering or failed to set up; see the node's status reason. */
    FAILED
}
