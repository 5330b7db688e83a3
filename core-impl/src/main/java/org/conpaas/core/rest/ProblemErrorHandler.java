package org.conpaas.core.rest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Jetty's server-wide error handler, writing RFC 7807 problem+json instead of Jetty's HTML page: for requests Jetty
 * refuses before any servlet runs (a broken percent escape, headers past 8 KB → 431, a bad request line) and for
 * errors outside every servlet context. Never shows a stack trace or the request's headers.
 */
final class ProblemErrorHandler extends ErrorHandler {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields fields) {
        fields.put(HttpHeader.CONTENT_TYPE, Problems.MEDIA_TYPE);
        return ByteBuffer.wrap(body(status, detail(status, reason)));
    }

    @Override
    protected void generateAcceptableResponse(Request baseRequest, HttpServletRequest request,
            HttpServletResponse response, int code, String message) throws IOException {
        baseRequest.setHandled(true);
        response.setContentType(Problems.MEDIA_TYPE);
        response.getOutputStream().write(body(code, detail(code, message)));
    }

    static byte[] body(int status, String detail) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", HttpStatus.getMessage(status));
        problem.put("status", status);
        problem.put("detail", detail);
        try {
            return JSON.writeValueAsBytes(problem);
        } catch (JsonProcessingException e) {
            return ("{\"status\":" + status + "}").getBytes(StandardCharsets.UTF_8);
        }
    }

    /** Jetty's reasons are short phrases ("Bad Request", "Ambiguous URI path encoding"); we say what to fix. */
    private static String detail(int status, String reason) {
        if (status == HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE_431) {
            return "the request's headers are too large (at most 8 KB)";
        }
        if (status == HttpStatus.URI_TOO_LONG_414) {
            return "the request's URI is too long";
        }
        if (status == HttpStatus.BAD_REQUEST_400) {
            return "the request is malformed" + (reason == null || reason.equals("Bad Request") ? ""
                    : ": " + reason) + " (check its percent escapes and headers)";
        }
        return reason == null ? HttpStatus.getMessage(status) : reason;
    }
}
