package org.conpaas.core.internal.director;

import java.util.LinkedHashMap;
import java.util.Map;
import org.conpaas.api.InvalidInputException;
import org.conpaas.api.model.OperationDescriptor;
import org.conpaas.api.model.ParameterDescriptor;
import org.conpaas.api.model.ParameterType;
import org.conpaas.api.model.UploadedFile;

/** Checks and converts an operation's parameters against its descriptor before a manager sees them. */
final class OperationParameters {

    private OperationParameters() {
    }

    static Map<String, Object> validate(OperationDescriptor op, Map<String, Object> params,
            Map<String, UploadedFile> files) {
        Map<String, Object> given = params == null ? Map.of() : params;
        Map<String, UploadedFile> uploads = files == null ? Map.of() : files;
        Map<String, ParameterDescriptor> known = new LinkedHashMap<>();
        op.parameters().forEach(p -> known.put(p.name(), p));

        for (String name : given.keySet()) {
            ParameterDescriptor p = known.get(name);
            if (p == null || p.type() == ParameterType.FILE) {
                throw new InvalidInputException(name, "unknown parameter '" + name + "' for operation " + op.name());
            }
        }
        for (String name : uploads.keySet()) {
            ParameterDescriptor p = known.get(name);
            if (p == null || p.type() != ParameterType.FILE) {
                throw new InvalidInputException(name, "operation " + op.name() + " takes no file '" + name + "'");
            }
        }
        Map<String, Object> checked = new LinkedHashMap<>();
        for (ParameterDescriptor p : op.parameters()) {
            boolean present = p.type() == ParameterType.FILE ? uploads.containsKey(p.name())
                    : given.get(p.name()) != null;
            if (!present) {
                if (p.required()) {
                    throw new InvalidInputException(p.name(), "missing the mandatory parameter '" + p.name() + "'");
                }
                continue;
            }
            if (p.type() != ParameterType.FILE) {
                checked.put(p.name(), convert(p, given.get(p.name())));
            }
        }
        return checked;
    }

    private static Object convert(ParameterDescriptor p, Object value) {
        switch (p.type()) {
            case STRING:
                if (value instanceof String) {
                    return value;
                }
                throw wrongType(p, "a string");
            case INTEGER:
                if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
                    return n.longValue();
                }
                if (value instanceof String s && s.matches("-?\\d{1,18}")) {
                    return Long.parseLong(s);
                }
                throw wrongType(p, "an integer");
            case BOOLEAN:
                if (value instanceof Boolean) {
                    return value;
                }
                if (value instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
                    return Boolean.parseBoolean(s);
                }
                throw wrongType(p, "true or false");
            default:
                return value;
        }
    }

    private static InvalidInputException wrongType(ParameterDescriptor p, String expected) {
        return new InvalidInputException(p.name(), "parameter '" + p.name() + "' must be " + expected);
    }
}
