package org.conpaas.core.shell;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.conpaas.api.ForbiddenException;
import org.conpaas.api.InvalidInputException;
import org.conpaas.api.model.OperationDescriptor;
import org.conpaas.api.model.ParameterDescriptor;
import org.conpaas.api.model.ParameterType;
import org.conpaas.api.model.UploadedFile;
import org.junit.Test;

public class ArgumentParsingTest {

    private static final OperationDescriptor OP = new OperationDescriptor("configure", "test", List.of(
            ParameterDescriptor.required("message", ParameterType.STRING, ""),
            ParameterDescriptor.optional("repeat", ParameterType.INTEGER, ""),
            ParameterDescriptor.optional("loud", ParameterType.BOOLEAN, ""),
            ParameterDescriptor.optional("extra", ParameterType.JSON, ""),
            ParameterDescriptor.optional("archive", ParameterType.FILE, "")), false);
    private static final DirectorHostFiles ADMIN_FILES = new DirectorHostFiles(true, null);

    @Test
    public void roleCountsByNameAndBareNumbersForTheDefaultRole() {
        assertEquals(Map.of("backend", 2, "proxy", 1), RoleCounts.parse(List.of("backend=2", "proxy=1"), "web"));
        assertEquals(Map.of("web", 3), RoleCounts.parse(List.of("3"), "web"));
        assertEquals(Map.of("web", 5), RoleCounts.parse(List.of("web=2", "3"), "web"));
        assertEquals("no overflow past the director's limit check", Map.of("web", Integer.MAX_VALUE),
                RoleCounts.parse(List.of("web=2147483647", "web=1"), "web"));
    }

    @Test
    public void badRoleCountsNameTheArgument() {
        for (String bad : List.of("backend=0", "backend=-1", "backend=two", "=2", "lots", "backend=")) {
            InvalidInputException e = assertThrows(bad, InvalidInputException.class,
                    () -> RoleCounts.parse(List.of(bad), "web"));
            assertEquals("roles", e.parameter());
            assertTrue(e.getMessage(), e.getMessage().contains("'" + bad + "'"));
        }
        assertThrows(InvalidInputException.class, () -> RoleCounts.parse(List.of(), "web"));
    }

    @Test
    public void operationParametersAreConvertedPerType() {
        OperationArguments parsed = OperationArguments.parse(
                List.of("message=a=b c", "repeat=3", "loud=TRUE", "extra={\"k\":[1,2]}", "unknown=7"), OP, ADMIN_FILES);
        assertEquals("a=b c", parsed.params().get("message"));
        assertEquals(3L, parsed.params().get("repeat"));
        assertEquals(Boolean.TRUE, parsed.params().get("loud"));
        assertEquals(Map.of("k", List.of(1L, 2L)), parsed.params().get("extra"));
        assertEquals("unknown parameters stay text for the director to judge", "7", parsed.params().get("unknown"));
        assertTrue(parsed.files().isEmpty());
    }

    @Test
    public void badOperationParametersNameTheParameter() {
        for (List<String> bad : List.of(List.of("repeat=many"), List.of("loud=maybe"), List.of("extra={oops"),
                List.of("archive=/no/at/sign"), List.of("archive=@/no/such/file.zip"))) {
            String name = bad.get(0).substring(0, bad.get(0).indexOf('='));
            InvalidInputException e = assertThrows(bad.toString(), InvalidInputException.class,
                    () -> OperationArguments.parse(bad, OP, ADMIN_FILES));
            assertEquals(name, e.parameter());
        }
        assertThrows(InvalidInputException.class, () -> OperationArguments.parse(List.of("no-equals-sign"), OP, ADMIN_FILES));
    }

    @Test
    public void fileParametersPointAtTheLocalFile() throws Exception {
        Path file = Files.createTempFile("cps-shell-test", ".zip");
        try {
            OperationArguments parsed = OperationArguments.parse(List.of("archive=@" + file, "message=x"), OP, ADMIN_FILES);
            UploadedFile upload = parsed.files().get("archive");
            assertEquals("archive", upload.field());
            assertEquals(file.getFileName().toString(), upload.fileName());
            assertEquals(file.toAbsolutePath(), upload.path());
            assertEquals(Map.of("message", "x"), parsed.params());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    public void aPlainUserNamesNoFileOnTheDirectorsHost() throws Exception {
        Path file = Files.createTempFile("cps-shell-test", ".zip");
        try {
            ForbiddenException refused = assertThrows(ForbiddenException.class, () -> OperationArguments.parse(
                    List.of("archive=@" + file), OP, new DirectorHostFiles(false, null)));
            assertEquals(DirectorHostFiles.REFUSED, refused.getMessage());
            // parameters that are not files stay open to everybody
            assertEquals(Map.of("message", "x"), OperationArguments.parse(List.of("message=x"), OP,
                    new DirectorHostFiles(false, null)).params());
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
