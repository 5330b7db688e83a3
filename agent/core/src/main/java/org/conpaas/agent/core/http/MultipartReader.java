package org.conpaas.agent.core.http;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Streams the parts of a {@code multipart/form-data} body one by one, so uploaded files go to disk without being
 * held in the agent's small heap.
 */
final class MultipartReader {

    private static final int MAX_HEADER_BYTES = 16 * 1024;
    private static final Pattern BOUNDARY = Pattern.compile("boundary=(?:\"([^\"]+)\"|([^;\\s]+))");
    private static final Pattern NAME = Pattern.compile("(?i)\\bname=\"([^\"]*)\"");
    private static final Pattern FILENAME = Pattern.compile("(?i)\\bfilename=\"([^\"]*)\"");

    private final PushbackInputStream in;
    private final byte[] delimiter;
    private boolean finished;
    private PartStream current;

    /** One part: its form name, the file name it was sent with (null for plain fields) and its content. */
    record Part(String name, String fileName, InputStream content) {
    }

    MultipartReader(InputStream body, String contentType) throws Problem {
        Matcher boundary = BOUNDARY.matcher(contentType);
        if (!boundary.find()) {
            throw Problem.badRequest("the multipart body has no boundary");
        }
        String value = boundary.group(1) != null ? boundary.group(1) : boundary.group(2);
        this.delimiter = ("\r\n--" + value).getBytes(StandardCharsets.ISO_8859_1);
        // a leading CRLF lets the first boundary line match the same delimiter as all the others
        InputStream withLeadingNewline = new SequenceInputStream(
                new ByteArrayInputStream(new byte[] {'\r', '\n'}), new java.io.BufferedInputStream(body, 16 * 1024));
        this.in = new PushbackInputStream(withLeadingNewline, delimiter.length);
    }

    /** The next part (its content must be read or skipped before asking again), or null after the last one. */
    Part next() throws IOException, Problem {
        if (finished) {
            return null;
        }
        // skip the preamble before the first part, or what the caller left unread of the previous part
        PartStream rest = current == null ? new PartStream() : current;
        rest.transferTo(OutputStream.nullOutputStream());
        int first = in.read();
        int second = in.read();
        if (first == '-' && second == '-') {
            finished = true;
            return null;
        }
        if (first != '\r' || second != '\n') {
            throw Problem.badRequest("the multipart body is malformed");
        }
        String headers = readHeaders();
        String disposition = headerValue(headers, "content-disposition");
        Matcher name = NAME.matcher(disposition);
        if (!name.find()) {
            throw Problem.badRequest("a multipart part has no name");
        }
        Matcher fileName = FILENAME.matcher(disposition);
        current = new PartStream();
        return new Part(name.group(1), fileName.find() ? fileName.group(1) : null, current);
    }

    private String readHeaders() throws IOException, Problem {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int b = in.read();
            if (b < 0 || bytes.size() > MAX_HEADER_BYTES) {
                throw Problem.badRequest("the multipart part headers are malformed");
            }
            bytes.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static String headerValue(String headers, String name) {
        for (String line : headers.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return "";
    }

    /** The bytes up to the next delimiter; the delimiter itself is consumed. */
    private final class PartStream extends InputStream {
        private boolean ended;

        @Override
        public int read() throws IOException {
            if (ended) {
                return -1;
            }
            int b = in.read();
            if (b < 0) {
                throw new IOException("the multipart body ended inside a part");
            }
            if (b != delimiter[0]) {
                return b;
            }
            byte[] ahead = new byte[delimiter.length - 1];
            int got = in.readNBytes(ahead, 0, ahead.length);
            boolean isDelimiter = got == ahead.length;
            for (int i = 0; isDelimiter && i < ahead.length; i++) {
                isDelimiter = ahead[i] == delimiter[i + 1];
            }
            if (isDelimiter) {
                ended = true;
                return -1;
            }
            in.unread(ahead, 0, got);
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int count = 0;
            while (count < length) {
                int b = read();
                if (b < 0) {
                    return count == 0 ? -1 : count;
                }
                buffer[offset + count++] = (byte) b;
            }
            return count;
        }
    }
}
