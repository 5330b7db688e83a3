package org.conpaas.core.rest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

import javax.annotation.Priority;
import javax.ws.rs.Priorities;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.PreMatching;
import javax.ws.rs.core.MediaType;

import org.apache.cxf.jaxrs.utils.JAXRSUtils;
import org.apache.cxf.message.Message;
import org.conpaas.api.TooLargeException;

/**
 * Bounds every request body before anything reads it.
 * <ul>
 * <li>CXF, when it answers a request whose body was not read to the end (a 404 before an upload is read), by default
 * first copies the rest of the body into a temporary file ({@code cxf.io.cacheinput}); switched off here, it skips
 * at most 16 MB and the connection is closed.</li>
 * <li>Bodies other than multipart (JSON, a startup script) may carry at most {@value #MAX_BODY_BYTES} bytes: 413 at
 * once for a larger Content-Length, and while reading for a body without one. Multipart bodies are bounded while
 * they stream by {@link MultipartStream}.</li>
 * </ul>
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION - 100)
final class RequestBodyBounds implements ContainerRequestFilter {

    static final int MAX_BODY_BYTES = 1024 * 1024;
    /** CXF's exchange property; FALSE keeps it from caching unread request bodies in temporary files. */
    private static final String CACHE_INPUT = "cxf.io.cacheinput";

    @Override
    public void filter(ContainerRequestContext request) {
        Message message = JAXRSUtils.getCurrentMessage();
        if (message != null && message.getExchange() != null) {
            message.getExchange().put(CACHE_INPUT, Boolean.FALSE);
        }
        MediaType type = request.getMediaType();
        if (type != null && type.getType().equalsIgnoreCase("multipart")) {
            return;
        }
        if (request.getLength() > MAX_BODY_BYTES) {
            throw tooLarge();
        }
        request.setEntityStream(new Bounded(request.getEntityStream()));
    }

    private static TooLargeException tooLarge() {
        return new TooLargeException("body", "the request body is larger than " + MAX_BODY_BYTES / 1024
                + " KB; files go in multipart uploads");
    }

    /** Fails once more than {@link #MAX_BODY_BYTES} bytes have been read. */
    private static final class Bounded extends FilterInputStream {
        private long read;

        Bounded(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count(skipped);
            return skipped;
        }

        private void count(long n) {
            read += n;
            if (read > MAX_BODY_BYTES) {
                throw tooLarge();
            }
        }
    }
}
