package org.conpaas.api.cloud;

/** A machine's state as its cloud reports it. */
public enum CloudNodeState {
    PENDING, RUNNING, TERMINATED, UNKNOWN
}
