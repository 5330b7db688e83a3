package org.conpaas.core.rest;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.conpaas.api.InvalidInputException;
import org.conpaas.api.model.OperationDescriptor;
import org.conpaas.api.model.ParameterDescriptor;
import org.conpaas.api.model.ParameterType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Converts an operation parameter given as text (a shell argument, a multipart form field) to the value JSON
 * would have given: INTEGER → Long, BOOLEAN → Boolean, JSON → parsed value, STRING as is. Shared by REST and the
 * shell so both hand the director the same types.
 */
public final class ParameterConversion {

    private static final ObjectMapper JSON = RestJson.mapper();

    private ParameterConversion() {
    }

    public static Optional<OperationDescriptor> find(List<OperationDescriptor> operations, String name) {
        return operations.stream().filter(o -> o.name().equals(name)).findFirst();
    }

    public static Optional<ParameterDescriptor> parameter(OperationDescriptor operation, String name) {
        return operation.parameters().stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** Converts {@code raw} per {@code type}; unknown parameters stay text and the director judges them. */
    public static Object convert(String name, ParameterType type, String raw) {
        if (type == null) {
            return raw;
        }
        switch (type) {
            case INTEGER:
                try {
                    return Long.parseLong(raw.trim());
                } catch (NumberFormatException e) {
                    throw new InvalidInputException(name, name + " must be a whole number, not '" + raw + "'");
                }
            case BOOLEAN:
                String lower = raw.trim().toLowerCase(Locale.ROOT);
                if (lower.equals("true") || lower.equals("false")) {
                    return Boolean.valueOf(lower);
                }
                throw new InvalidInputException(name, name + " must be true or false, not '" + raw + "'");
            case JSON:
                try {
                    return JSON.readValue(raw, Object.class);
                } catch (JsonProcessingException e) {
                    throw new InvalidInputException(name, name + " must be JSON: " + e.getOriginalMessage());
                }
            case FILE:
                throw new InvalidInputException(name, name + " is a file parameter; upload a file for it");
            case STRING:
            default:
                return raw;
        }
    }
}
