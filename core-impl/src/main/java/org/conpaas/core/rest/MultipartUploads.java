package org.conpaas.core.rest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.conpaas.api.InvalidInputException;
import org.conpaas.api.model.OperationDescriptor;
import org.conpaas.api.model.ParameterType;
import org.conpaas.api.model.UploadedFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parts of a multipart request, read as they stream in (see {@link MultipartStream}): parts of the file fields
 * saved to temporary files (deleted by {@link #close()}), text parts converted per the operation's parameter
 * descriptors. A file part for a field that takes no file is refused before its content is read. Callers check the
 * service and the caller's rights before calling {@link #read}.
 */
final class MultipartUploads implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MultipartUploads.class);
    /** The longest text field (a description, an operation parameter). */
    static final int MAX_TEXT_BYTES = 64 * 1024;

    private final Map<String, Object> params = new LinkedHashMap<>();
    private final Map<String, UploadedFile> files = new LinkedHashMap<>();
    private final List<Path> tempFiles = new ArrayList<>();

    /** The fields that take files, and whose they are (for the refusal of any other file part). */
    record FileFields(Set<String> names, String owner) {

        static FileFields of(OperationDescriptor operation) {
            Set<String> names = new java.util.HashSet<>();
            operation.parameters().stream().filter(p -> p.type() == ParameterType.FILE)
                    .forEach(p -> names.add(p.name()));
            return new FileFields(names, "operation " + operation.name());
        }
    }

    /**
     * @param maxBytes the most part content the whole body may carry (413 as soon as it passes)
     * @param operation the operation whose parameters the text parts are, or null (text stays text)
     */
    static MultipartUploads read(InputStream body, String contentType, long maxBytes, FileFields fileFields,
            OperationDescriptor operation) {
        MultipartUploads uploads = new MultipartUploads();
        try {
            MultipartStream stream = new MultipartStream(body, contentType, maxBytes);
            for (MultipartStream.Part part = stream.next(); part != null; part = stream.next()) {
                uploads.add(part, fileFields, operation);
            }
            return uploads;
        } catch (IOException e) {
            uploads.close();
            throw new InvalidInputException("the multipart body could not be read: " + e.getMessage());
        } catch (RuntimeException e) {
            uploads.close();
            throw e;
        }
    }

    private void add(MultipartStream.Part part, FileFields fileFields, OperationDescriptor operation)
            throws IOException {
        String field = part.field;
        if (fileFields.names().contains(field)) {
            if (files.containsKey(field)) {
                throw new InvalidInputException(field, "the field '" + field + "' is given twice");
            }
            files.put(field, new UploadedFile(field, part.fileName == null ? field : part.fileName, save(part)));
        } else if (part.fileName != null) {
            throw new InvalidInputException(field, fileFields.owner() + " takes no file '" + field + "'");
        } else {
            ParameterType type = operation == null ? null
                    : ParameterConversion.parameter(operation, field).map(p -> p.type()).orElse(null);
            params.put(field, ParameterConversion.convert(field, type, part.text(MAX_TEXT_BYTES)));
        }
    }

    private Path save(MultipartStream.Part part) throws IOException {
        Path file = Files.createTempFile("conpaas-upload-", ".part"); // owner-only (rw-------)
        tempFiles.add(file);
        try (OutputStream out = Files.newOutputStream(file)) {
            part.copyTo(out);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return file;
    }

    Map<String, Object> params() {
        return params;
    }

    Map<String, UploadedFile> files() {
        return files;
    }

    @Override
    public void close() {
        for (Path file : tempFiles) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.warn("cannot delete the uploaded temporary file {}", file, e);
            }
        }
    }
}
