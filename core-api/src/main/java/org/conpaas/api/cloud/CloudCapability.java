package org.conpaas.api.cloud;

/** Optional things a cloud can do. */
public enum CloudCapability {
    VOLUMES, PUBLIC_ADDRESSES
}
