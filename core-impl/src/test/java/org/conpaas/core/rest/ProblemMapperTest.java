package org.conpaas.core.rest;

import static org.junit.Assert.assertEquals;

import java.io.EOFException;
import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import java.util.Map;
import javax.persistence.PersistenceException;
import javax.ws.rs.core.Response;
import org.apache.cxf.interceptor.Fault;
import org.conpaas.api.InsufficientCreditException;
import org.conpaas.api.InvalidInputException;
import org.conpaas.api.StartingException;
import org.conpaas.api.TooLargeException;
import org.conpaas.api.UnsupportedArchiveException;
import org.eclipse.jetty.io.EofException;
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

    @Test
    @SuppressWarnings("unchecked")
    public void aTransactionTheDatabaseRolledBackAnswers503WithRetryAfterAndOtherDatabaseErrors500() {
        // as Hibernate wraps Derby's lock timeout
        Throwable lockTimeout = new PersistenceException("could not execute statement",
                new RuntimeException("wrapper", new SQLTransactionRollbackException(
                        "A lock could not be obtained within the time requested", "40XL1")));
        Response response = mapper.toResponse(lockTimeout);
        assertEquals(503, response.getStatus());
        assertEquals("1", String.valueOf(response.getHeaders().getFirst("Retry-After")));
        Map<String, Object> body = (Map<String, Object>) response.getEntity();
        assertEquals("the director's database was too busy to finish this request (it rolled a transaction back); "
                + "check what it changed and send it again",
                body.get("detail"));

        assertEquals(500, mapper.toResponse(new PersistenceException(new SQLException("disk full", "XSDG1")))
                .getStatus());
    }

    @Test
    public void aClientThatHungUpGetsNoBodyToWrite() {
        // as CXF wraps Jetty's EofException when the peer closed before the answer was out
        Response response = mapper.toResponse(new Fault(
                new IOException("wrapper", new EofException("reset by peer"))));
        assertEquals(400, response.getStatus());
        assertEquals(null, response.getEntity());
        assertEquals(500, mapper.toResponse(new IOException("disk full")).getStatus());
        // an end of stream that is not the client's connection (an archive cut short, an agent hanging up) is a failure
        assertEquals(500, mapper.toResponse(new IOException(new EOFException("truncated")))
                .getStatus());
    }

    @SuppressWarnings("unchecked")
    private static void assertProblem(int status, String parameter, Response response) {
        assertEquals(status, response.getStatus());
        Map<String, Object> body = (Map<String, Object>) response.getEntity();
        assertEquals(status, body.get("status"));
        assertEquals(parameter, body.get("parameter"));
    }
}
