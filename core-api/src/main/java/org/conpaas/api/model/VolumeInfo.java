package org.conpaas.api.model;

import java.time.Instant;

/**
 * A storage volume of a service, attached to one of its nodes: {@code sizeMb} as asked (a cloud may round it up),
 * {@code path} where the node mounted it (the node's {@code media/<name>}; scripts see it as {@code $MEDIA_DIR/<name>}).
 * The data lives only as long as the volume: deleting it, removing its node or stopping the service destroys it.
 */
public record VolumeInfo(String name, int sizeMb, String node, String cloud, String path, Instant created) {
}
