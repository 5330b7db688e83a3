package org.conpaas.api.model;

import java.nio.file.Path;

/** A file a caller uploaded for an operation: the form field, the original file name and where it is stored. */
public record UploadedFile(String field, String fileName, Path path) {
}
