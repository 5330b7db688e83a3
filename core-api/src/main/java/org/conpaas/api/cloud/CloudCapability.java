package org.conpaas.api.cloud;

/** Optional things a cloud can do. */
public enum CloudCapability {
    VOLUMES, PUBLIC_ADDRESSES,
    /** Gives each add-nodes request the memory and CPU weight it asks for ({@link NodeSize}). */
    NODE_SIZES
}
