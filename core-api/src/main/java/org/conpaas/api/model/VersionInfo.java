package org.conpaas.api.model;

/** The director's version and deployment name. */
public record VersionInfo(String version, String deploymentName) {
}
