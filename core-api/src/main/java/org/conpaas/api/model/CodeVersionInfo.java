package org.conpaas.api.model;

import java.time.Instant;

/**
 * One uploaded code version of a service: {@code id} is {@code code-XXXXXX} (or {@code code-default}),
 * {@code fileName} the name it was uploaded under, {@code active} whether it is the one the service runs.
 */
public record CodeVersionInfo(String id, String fileName, String description, long sizeBytes, Instant uploaded,
        boolean active) {
}
