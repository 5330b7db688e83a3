package org.conpaas.api.cloud;

/** A block volume; {@code attachedTo} and {@code device} are null while detached. */
public record CloudVolume(String id, String name, int sizeMb, String attachedTo, String device) {
}
