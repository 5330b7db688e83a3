package org.conpaas.core.rest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.cxf.jaxrs.ext.multipart.Attachment;
import org.apache.cxf.jaxrs.ext.multipart.ContentDisposition;
import org.apache.cxf.jaxrs.ext.multipart.MultipartBody;
import org.conpaas.api.InvalidInputException;
import org.conpaas.api.model.OperationDescriptor;
import org.conpaas.api.model.ParameterType;
import org.conpaas.api.model.UploadedFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parts of a multipart operation call: file parts saved to temporary files (deleted by {@link #close()}),
 * text parts converted per the operation's parameter descriptors.
 */
final class MultipartUploads implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MultipartUploads.class);

    private final Map<String, Object> params = new LinkedHashMap<>();
    private final Map<String, UploadedFile> files = new LinkedHashMap<>();
    private final List<Path> tempFiles = new ArrayList<>();

    static MultipartUploads read(MultipartBody body, OperationDescriptor operation) {
        MultipartUploads uploads = new MultipartUploads();
        try {
            for (Attachment part : body.getAllAttachments()) {
                uploads.add(part, operation);
            }
            return uploads;
        } catch (RuntimeException e) {
            uploads.close();
            throw e;
        }
    }

    private void add(Attachment part, OperationDescriptor operation) {
        ContentDisposition disposition = part.getContentDisposition();
        String field = disposition == null ? null : disposition.getParameter("name");
        if (field == null || field.isBlank()) {
            throw new InvalidInputException("every multipart part needs a form field name");
        }
        String fileName = disposition.getFilename();
        ParameterType type = operation == null ? null
                : ParameterConversion.parameter(operation, field).map(p -> p.type()).orElse(null);
        if (fileName != null || type == ParameterType.FILE) {
            files.put(field, new UploadedFile(field, fileName == null ? field : fileName, save(part)));
        } else {
            params.put(field, ParameterConversion.convert(field, type, part.getObject(String.class)));
        }
    }

    private Path save(Attachment part) {
        try (InputStream in = part.getDataHandler().getInputStream()) {
            Path file = Files.createTempFile("conpaas-upload-", ".part");
            tempFiles.add(file);
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store an uploaded file", e);
        }
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
