package org.conpaas.core.rest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.conpaas.api.InvalidInputException;
import org.conpaas.api.TooLargeException;

/**
 * Reads a {@code multipart/form-data} body part by part straight from the request, so that nothing is read before
 * the caller has been checked and every byte is counted while it streams: the whole body may carry at most
 * {@code maxBytes} of part contents (413 as soon as it passes), a part's headers at most {@value #MAX_HEADER_BYTES}
 * bytes and the body at most {@value #MAX_PARTS} parts. CXF's own multipart support reads the whole body into
 * attachments (spilling to temporary files) before a resource method runs, which is what this replaces.
 */
final class MultipartStream {

    static final int MAX_HEADER_BYTES = 8 * 1024;
    static final int MAX_PARTS = 32;
    private static final int BUFFER = 64 * 1024;

    /** One part: its form field, its file name (null for a text field) and its content, read once. */
    final class Part {
        final String field;
        final String fileName;
        private boolean consumed;

        private Part(String field, String fileName) {
            this.field = field;
            this.fileName = fileName;
        }

        /** Copies the content to {@code out}; throws {@link TooLargeException} once the body passes its bound. */
        void copyTo(OutputStream out) throws IOException {
            consumed = true;
            readUntilDelimiter(out, maxBytes - counted, true, MultipartStream.this::tooLarge);
        }

        /** The content as UTF-8 text of at most {@code maxChars} bytes (a form field, not a file). */
        String text(int maxChars) throws IOException {
            consumed = true;
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            if (maxBytes - counted < maxChars) {
                readUntilDelimiter(bytes, maxBytes - counted, true, MultipartStream.this::tooLarge);
            } else {
                readUntilDelimiter(bytes, maxChars, true, () -> new TooLargeException(field, "the form field '"
                        + field + "' is longer than " + maxChars + " bytes"));
            }
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    private final InputStream in;
    private final byte[] delimiter;
    private final long maxBytes;
    private final byte[] buf = new byte[BUFFER];
    private int start;
    private int end;
    private boolean eof;
    private long counted;
    private int parts;
    private Part current;
    private boolean finished;

    /**
     * @param contentType the request's Content-Type, which names the boundary
     * @param maxBytes    the most part content the whole body may carry
     */
    MultipartStream(InputStream in, String contentType, long maxBytes) {
        this.in = in;
        this.maxBytes = maxBytes;
        this.delimiter = ("\r\n--" + boundary(contentType)).getBytes(StandardCharsets.ISO_8859_1);
        // The first boundary has no line break before it: pretend there was one.
        buf[0] = '\r';
        buf[1] = '\n';
        end = 2;
    }

    /** The next part, or null after the closing boundary; the previous part's rest is skipped (and counted). */
    Part next() throws IOException {
        if (finished) {
            return null;
        }
        if (current == null) {
            // the preamble before the first boundary
            readUntilDelimiter(OutputStream.nullOutputStream(), MAX_HEADER_BYTES, false, MultipartStream::malformed);
        } else if (!current.consumed) {
            readUntilDelimiter(OutputStream.nullOutputStream(), maxBytes - counted, true, this::tooLarge);
        }
        fill(2);
        if (end - start >= 2 && buf[start] == '-' && buf[start + 1] == '-') {
            finished = true;
            return null;
        }
        if (++parts > MAX_PARTS) {
            throw new InvalidInputException("the multipart body has more than " + MAX_PARTS + " parts");
        }
        String headers = readHeaders();
        String disposition = header(headers, "content-disposition");
        if (disposition == null || !disposition.toLowerCase(Locale.ROOT).startsWith("form-data")) {
            throw new InvalidInputException("every multipart part needs a Content-Disposition: form-data header");
        }
        String field = parameter(disposition, "name");
        if (field == null || field.isBlank()) {
            throw new InvalidInputException("every multipart part needs a form field name");
        }
        current = new Part(field, parameter(disposition, "filename"));
        return current;
    }

    /** The rest of the boundary line, then the header lines up to the empty line ({@value #MAX_HEADER_BYTES} bytes). */
    private String readHeaders() throws IOException {
        if (!readLine(MAX_HEADER_BYTES).isBlank()) {
            throw malformed();
        }
        StringBuilder headers = new StringBuilder();
        while (true) {
            String line = readLine(MAX_HEADER_BYTES - headers.length());
            if (line.isEmpty()) {
                return headers.toString();
            }
            headers.append(line).append('\n');
        }
    }

    /** One CRLF-terminated line of at most {@code max} bytes, without its end. */
    private String readLine(int max) throws IOException {
        while (true) {
            for (int i = start; i + 1 < end && i - start <= max; i++) {
                if (buf[i] == '\r' && buf[i + 1] == '\n') {
                    String line = new String(buf, start, i - start, StandardCharsets.UTF_8);
                    start = i + 2;
                    return line;
                }
            }
            if (end - start > max) {
                throw new InvalidInputException("the headers of a multipart part are longer than " + MAX_HEADER_BYTES
                        + " bytes");
            }
            if (!fill(end - start + 1)) {
                throw malformed();
            }
        }
    }

    /**
     * Moves the data up to the next delimiter to {@code out} and consumes the delimiter; fails when more than
     * {@code limit} bytes come first (counted against the body's bound when {@code counts}).
     */
    private void readUntilDelimiter(OutputStream out, long limit, boolean counts,
            java.util.function.Supplier<? extends RuntimeException> over) throws IOException {
        long written = 0;
        while (true) {
            int found = indexOfDelimiter();
            int usable = found >= 0 ? found : Math.max(start, end - delimiter.length + 1);
            int n = usable - start;
            if (n > 0) {
                written += n;
                if (counts) {
                    counted += n;
                }
                if (written > limit) {
                    throw over.get();
                }
                out.write(buf, start, n);
                start = usable;
            }
            if (found >= 0) {
                start = found + delimiter.length;
                return;
            }
            if (!fill(delimiter.length)) {
                throw malformed();
            }
        }
    }

    private int indexOfDelimiter() {
        outer:
        for (int i = start; i <= end - delimiter.length; i++) {
            for (int j = 0; j < delimiter.length; j++) {
                if (buf[i + j] != delimiter[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Reads until at least {@code wanted} bytes are buffered after {@code start}; false at the end of input. */
    private boolean fill(int wanted) throws IOException {
        if (end - start >= wanted) {
            return true;
        }
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            start = 0;
        }
        while (end - start < wanted && !eof) {
            int read = in.read(buf, end, buf.length - end);
            if (read < 0) {
                eof = true;
            } else {
                end += read;
            }
        }
        return end - start >= wanted;
    }

    private RuntimeException tooLarge() {
        return new TooLargeException("file", "the upload is larger than " + maxBytes / (1024 * 1024) + " MB");
    }

    private static RuntimeException malformed() {
        return new InvalidInputException("the multipart body is malformed or ends before its closing boundary");
    }

    private static String boundary(String contentType) {
        String boundary = contentType == null ? null : parameter(contentType, "boundary");
        if (boundary == null || boundary.isEmpty() || boundary.length() > 70) {
            throw new InvalidInputException("a multipart/form-data body needs a boundary of 1 to 70 characters");
        }
        return boundary;
    }

    /** The value of a header among the lines, by lower-case name; null when absent. */
    private static String header(String headers, String name) {
        for (String line : headers.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    /** A parameter of a header value ({@code name="x"} or {@code name=x}); null when absent. */
    static String parameter(String value, String name) {
        for (String piece : value.split(";")) {
            int eq = piece.indexOf('=');
            if (eq > 0 && piece.substring(0, eq).trim().equalsIgnoreCase(name)) {
                String v = piece.substring(eq + 1).trim();
                if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                    v = v.substring(1, v.length() - 1);
                }
                return v;
            }
        }
        return null;
    }
}
