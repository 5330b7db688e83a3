package org.conpaas.core.rest;

import static org.junit.Assert.assertEquals;

import java.util.Map;
import javax.ws.rs.core.Response;
import org.conpaas.api.InsufficientCreditException;
import org.conpaas.api.InvalidInputException;
import org.conpaas.api.TooLargeException;
import org.conpaas.api.UnsupportedArchiveException;
import org.junit.Test;

public class ProblemMapperTest {
    private final ProblemMapper mapper = new ProblemMapper();

    @Test
    public void uploadRefusalsHaveTheirOwnStatusesAndNameTheField() {
        assertProblem(415, "file", mapper.toResponse(new UnsupportedArchiveException("file", "not an archive")));
        assertProblem(413, "file", mapper.toResponse(new TooLargeException("file", "archive larger than 100 MB")));
        assertProblem(400, "name", mapper.toResponse(new InvalidInputException("name", "empty")));
        assertEquals(402, mapper.toResponse(new InsufficientCreditException("no credit left")).getStatus());
    }

    @SuppressWarnings("unchecked")
    private static void assertProblem(int status, String parameter, Response response) {
        assertEquals(status, response.getStatus());
        Map<String, Object> body = (Map<String, Object>) response.getEntity();
        assertEquals(status, body.get("status"));
        assertEquals(parameter, body.get("parameter"));
    }
}
