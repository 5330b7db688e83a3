package org.conpaas.api.model;

import java.util.Set;

/** A configured cloud. */
public record CloudInfo(String name, String type, Set<String> capabilities) {
}
