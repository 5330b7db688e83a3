package org.conpaas.core.rest;

import static org.junit.Assert.assertEquals;

import java.util.Map;
import javax.ws.rs.core.Response;
import org.conpaas.api.InsufficientCreditException;
import org.conpaas.api.InvalidInputException;
import org.conpaas.api.StartingException;
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

    @Test
    @SuppressWarnings("unchecked")
    public void aStartingDirectorAnswers503WithRetryAfter() {
        Response response = mapper.toResponse(new StartingException());
        assertEquals(503, response.getStatus());
        assertEquals(String.valueOf(StartingException.RETRY_AFTER_SECONDS),
                String.valueOf(response.getHeaders().getFirst("Retry-After")));
        assertEquals("application/problem+json", String.valueOf(response.getMediaType()));
        Map<String, Object> body = (Map<String, Object>) response.getEntity();
        assertEquals(503, body.get("status"));
    }

    @SuppressWarnings("unchecked")
    private static void assertProblem(int status, String parameter, Response response) {
        assertEquals(status, response.getStatus());
        Map<String, Object> body = (Map<String, Object>) response.getEntity();
        assertEquals(status, body.get("status"));
        assertEquals(parameter, body.get("parameter"));
    }
}
