package org.conpaas.core.shell;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.conpaas.api.InvalidInputException;
import org.conpaas.api.model.OperationDescriptor;
import org.conpaas.api.model.ParameterDescriptor;
import org.conpaas.api.model.ParameterType;
import org.conpaas.api.model.UploadedFile;
import org.conpaas.core.rest.ParameterConversion;

/**
 * Parses {@code name=value} arguments of an operation call: values converted per the descriptor's parameter type
 * (the same conversion REST applies to form fields), and {@code name=@/path} for FILE parameters.
 */
record OperationArguments(Map<String, Object> params, Map<String, UploadedFile> files) {

    static OperationArguments parse(List<String> arguments, OperationDescriptor operation, DirectorHostFiles hostFiles) {
        Map<String, Object> params = new LinkedHashMap<>();
        Map<String, UploadedFile> files = new LinkedHashMap<>();
        for (String argument : arguments == null ? List.<String>of() : arguments) {
            int eq = argument.indexOf('=');
            if (eq <= 0) {
                throw new InvalidInputException(argument, "'" + argument + "' is not name=value");
            }
            String name = argument.substring(0, eq).trim();
            String value = argument.substring(eq + 1);
            ParameterType type = ParameterConversion.parameter(operation, name).map(ParameterDescriptor::type)
                    .orElse(null);
            if (type == ParameterType.FILE) {
                files.put(name, file(name, value, hostFiles));
            } else {
                params.put(name, ParameterConversion.convert(name, type, value));
            }
        }
        return new OperationArguments(params, files);
    }

    private static UploadedFile file(String name, String value, DirectorHostFiles hostFiles) {
        if (!value.startsWith("@") || value.length() < 2) {
            throw new InvalidInputException(name, name + " is a file: write " + name + "=@/path/to/file");
        }
        Path path = hostFiles.resolve(value.substring(1));
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new InvalidInputException(name, "cannot read the file " + path);
        }
        return new UploadedFile(name, path.getFileName().toString(), path);
    }
}
