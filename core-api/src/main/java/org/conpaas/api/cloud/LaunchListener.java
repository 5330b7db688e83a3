package org.conpaas.api.cloud;

/**
 * Told by a driver, during {@link CloudDriver#launch}, what the cloud has created, so the director records each
 * machine before the launch call returns (a director that restarts meanwhile then adopts the machine instead of
 * taking it for a stray one).
 */
@FunctionalInterface
public interface LaunchListener {

    /** Listens to nothing. */
    LaunchListener NONE = (nodeId, vmId) -> { };

    /**
     * Called (from any thread) as soon as the cloud has given node {@code nodeId} the machine id {@code vmId}, before
     * the machine is started where the cloud allows. Returns quickly.
     */
    void machineCreated(String nodeId, String vmId);
}
