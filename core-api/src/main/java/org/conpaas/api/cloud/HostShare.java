package org.conpaas.api.cloud;

import java.nio.file.Path;

/**
 * A folder of the machine that hosts a cloud's nodes, which all of that machine's nodes read and none writes: the
 * director fills it (it runs on that machine), so a file there is the same for every tenant. Clouds that put many
 * nodes on one machine (the local cloud, LXC) offer one, so that what every node needs (Flink's lib/, say) is on
 * the machine once, not once per node.
 *
 * @param onHost where the director writes, on its own host
 * @param onNode where the nodes see the same folder
 */
public record HostShare(Path onHost, Path onNode) {
}
