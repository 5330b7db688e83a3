package org.conpaas.core.rest;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.Response;
import javax.ws.rs.ext.ExceptionMapper;

import org.conpaas.api.AgentException;
import org.conpaas.api.AuthenticationException;
import org.conpaas.api.CloudException;
import org.conpaas.api.ConflictException;
import org.conpaas.api.ConpaasException;
import org.conpaas.api.ForbiddenException;
import org.conpaas.api.InsufficientCreditException;
import org.conpaas.api.InvalidInputException;
import org.conpaas.api.NotFoundException;
import org.conpaas.api.OperationFailedException;
import org.conpaas.api.StartingException;
import org.conpaas.api.TooLargeException;
import org.conpaas.api.TypeNotInstalledException;
import org.conpaas.api.UnsupportedArchiveException;
import org.conpaas.api.WrongStateException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Turns every failure into problem+json with the right status: domain exceptions by type, JSON reading errors as
 * 400 naming the field, JAX-RS errors (404, 405, 415 ...) with their status, anything else as a logged 500.
 */
public class ProblemMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemMapper.class);

    @Override
    public Response toResponse(Throwable failure) {
        Throwable e = unwrap(failure);
        if (e instanceof ConpaasException domain) {
            return domain(domain);
        }
        if (e instanceof JsonProcessingException json) {
            return json(json);
        }
        if (e instanceof WebApplicationException web) {
            return web(web);
        }
        if (ClientHungUp.wentAway(failure)) {
            // the client closed its connection while its answer was written (or its body read): no one to answer,
            // and nothing the director did wrong; without a body CXF does not try to write again
            return Response.status(400).build();
        }
        SQLException rolledBack = rolledBackTransaction(failure);
        if (rolledBack != null) {
            // the database gave up on a transaction (lock timeout, deadlock): not the caller's fault and not a bug
            // to hide behind a 500; that transaction's changes were undone, earlier ones of the request were not
            LOG.warn("REST call's transaction rolled back by the database (SQL state {}): {}", rolledBack.getSQLState(),
                    rolledBack.getMessage());
            return Response.fromResponse(Problems.response(503, "the director's database was too busy to finish this "
                    + "request (it rolled a transaction back); check what it changed and send it again")).header("Retry-After", 1).build();
        }
        LOG.error("REST call failed unexpectedly", failure);
        return Problems.response(500, "internal error; the director's log has the details");
    }

    /** The SQL failure of class 40 (transaction rollback: deadlock, lock timeout) behind a failure, or null. */
    static SQLException rolledBackTransaction(Throwable failure) {
        for (Throwable t : causes(failure)) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("40")) {
                return sql;
            }
        }
        return null;
    }

    /** The failure and its causes, at most 12 deep. */
    static List<Throwable> causes(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = failure; t != null && chain.size() < 12; t = t.getCause() == t ? null : t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    /** CXF may wrap a reader's JSON error into a 400 WebApplicationException; the JSON error says more. */
    private static Throwable unwrap(Throwable e) {
        // A body past its bound wins over the reader's wrapping of it ("field 'name' is invalid: …").
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TooLargeException) {
                return t;
            }
        }
        Throwable current = e;
        for (int depth = 0; depth < 5 && current.getCause() != null; depth++) {
            if (current instanceof ConpaasException || current instanceof JsonProcessingException) {
                return current;
            }
            if (current.getCause() instanceof ConpaasException || current.getCause() instanceof JsonProcessingException) {
                return current.getCause();
            }
            current = current.getCause();
        }
        return current instanceof ConpaasException || current instanceof JsonProcessingException ? current : e;
    }

    private static Response domain(ConpaasException e) {
        if (e instanceof StartingException) {
            return Response.fromResponse(Problems.response(503, e.getMessage()))
                    .header("Retry-After", StartingException.RETRY_AFTER_SECONDS).build();
        }
        Map<String, Object> extras = new LinkedHashMap<>();
        int status;
        if (e instanceof NotFoundException) {
            status = 404;
        } else if (e instanceof AuthenticationException) {
            status = 401;
        } else if (e instanceof ForbiddenException) {
            status = 403;
        } else if (e instanceof InsufficientCreditException) {
            status = 402;
        } else if (e instanceof InvalidInputException invalid) {
            status = e instanceof UnsupportedArchiveException ? 415 : e instanceof TooLargeException ? 413 : 400;
            if (invalid.parameter() != null) {
                extras.put("parameter", invalid.parameter());
            }
        } else if (e instanceof WrongStateException wrong) {
            status = 409;
            extras.put("currentState", wrong.current());
            extras.put("allowedStates", sortedNames(wrong.allowed()));
        } else if (e instanceof TypeNotInstalledException missing) {
            status = 409;
            extras.put("serviceType", missing.type());
        } else if (e instanceof ConflictException) {
            status = 409;
        } else if (e instanceof AgentException agent) {
            status = 502;
            if (agent.nodeId() != null) {
                extras.put("node", agent.nodeId());
            }
        } else if (e instanceof CloudException) {
            status = 502;
        } else if (e instanceof OperationFailedException) {
            // the manager's failure, already written to the service's log
            status = 500;
        } else {
            LOG.error("unclassified director error", e);
            status = 500;
        }
        return Problems.response(status, e.getMessage(), extras);
    }

    private static List<String> sortedNames(Collection<? extends Enum<?>> states) {
        return states.stream().map(Enum::name).sorted().collect(Collectors.toList());
    }

    private static Response json(JsonProcessingException e) {
        if (!(e instanceof JsonMappingException mapping)) {
            return Problems.response(400, "malformed JSON: " + e.getOriginalMessage());
        }
        String field = fieldPath(mapping);
        Map<String, Object> extras = field.isEmpty() ? Map.of() : Map.of("parameter", field);
        String detail;
        if (e instanceof UnrecognizedPropertyException unknown) {
            detail = "unknown field '" + field + "'; known fields: " + unknown.getKnownPropertyIds();
        } else if (e instanceof InvalidFormatException invalid) {
            detail = "field '" + field + "': " + invalid.getValue() + " is not a valid " + simpleName(invalid.getTargetType());
        } else if (e instanceof MismatchedInputException mismatch) {
            detail = field.isEmpty()
                    ? "the body must be a JSON " + shape(mismatch.getTargetType())
                    : "field '" + field + "' must be a " + shape(mismatch.getTargetType());
        } else {
            detail = field.isEmpty() ? "invalid JSON body: " + e.getOriginalMessage()
                    : "field '" + field + "' is invalid: " + e.getOriginalMessage();
        }
        return Problems.response(400, detail, extras);
    }

    private static String fieldPath(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String shape(Class<?> type) {
        if (type == null) {
            return "value of another type";
        }
        if (type == String.class) {
            return "string";
        }
        if (Number.class.isAssignableFrom(type) || type == int.class || type == long.class) {
            return "number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "boolean";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "array";
        }
        return "object";
    }

    private static String simpleName(Class<?> type) {
        return type == null ? "value" : shape(type);
    }

    private static Response web(WebApplicationException e) {
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        String detail;
        switch (status) {
            case 404: detail = "no resource at this path"; break;
            case 405: detail = "this method is not allowed on this resource"; break;
            case 406: detail = "the resource cannot produce a media type the request accepts"; break;
            case 415: detail = "the request's Content-Type is not supported by this resource"; break;
            default: detail = e.getMessage(); break;
        }
        if (status >= 500) {
            LOG.error("REST call failed", e);
        }
        return Problems.response(status, detail);
    }
}
