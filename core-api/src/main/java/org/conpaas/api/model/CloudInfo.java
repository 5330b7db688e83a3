package org.conpaas.api.model;

import java.util.Set;

/**
 * A configured cloud. {@code unavailableReason} is null while the cloud can be used, else one sentence why not (its
 * credentials were refused, it cannot be reached), as its driver reports it.
 */
public record CloudInfo(String name, String type, Set<String> capabilities, String unavailableReason) {

    /** A cloud that can be used. */
    public CloudInfo(String name, String type, Set<String> capabilities) {
        this(name, type, capabilities, null);
    }

    /** Whether the cloud can be used now. */
    public boolean available() {
        return unavailableReason == null;
    }
}
