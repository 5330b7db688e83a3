package org.conpaas.api.cloud;

/** A machine's state as its cloud reports it; FAILED: the cloud could not launch it (the reason is the detail). */
public enum CloudNodeState {
    PENDING, RUNNING, TERMINATED, FAILED, UNKNOWN
}
