package org.conpaas.core.rest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One HTTP/1.1 exchange over a plain socket, for what java.net.http will not send (broken percent escapes, huge
 * headers) and to see how much of a big body a server reads before it answers: the body (a prefix, then zeros up to
 * its length) is written by a second thread while this one waits for the answer. The writer paces itself (a pause
 * after each megabyte) so a reader thread starved on a loaded machine does not see a server that answered early as one
 * that read tens of megabytes first.
 */
final class RawHttp {

    /** The answer, and how many body bytes had been written when its first byte arrived. */
    record Answer(int status, String contentType, String body, long bodyBytesSentBeforeAnswer) {
    }

    private static final long PACE_BYTES = 1024 * 1024;
    private static final long PACE_MILLIS = 20;

    private RawHttp() {
    }

    static Answer exchange(int port, String head, byte[] bodyPrefix, long bodyLength) throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            AtomicLong sent = new AtomicLong();
            Thread writer = new Thread(() -> writeBody(out, bodyPrefix, bodyLength, sent), "raw-http-body");
            writer.setDaemon(true);
            writer.start();
            InputStream in = socket.getInputStream();
            int first = in.read();
            long sentBeforeAnswer = sent.get();
            if (first < 0) {
                throw new IOException("the server closed the connection without an answer");
            }
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            answer.write(first);
            byte[] buf = new byte[8192];
            String text;
            int headEnd;
            while ((headEnd = (text = answer.toString(StandardCharsets.ISO_8859_1)).indexOf("\r\n\r\n")) < 0) {
                int n = in.read(buf);
                if (n < 0) {
                    throw new IOException("the answer ends inside its headers: " + text);
                }
                answer.write(buf, 0, n);
            }
            String headers = text.substring(0, headEnd);
            int length = Integer.parseInt(header(headers, "content-length", "-1"));
            while (length >= 0 && answer.size() - headEnd - 4 < length) {
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                answer.write(buf, 0, n);
            }
            socket.close(); // ends the writer too
            writer.join(10_000);
            String all = answer.toString(StandardCharsets.UTF_8);
            int status = Integer.parseInt(headers.split(" ")[1]);
            return new Answer(status, header(headers, "content-type", ""), all.substring(all.indexOf("\r\n\r\n") + 4),
                    sentBeforeAnswer);
        }
    }

    private static void writeBody(OutputStream out, byte[] prefix, long length, AtomicLong sent) {
        try {
            if (prefix.length > 0) {
                out.write(prefix);
                sent.addAndGet(prefix.length);
            }
            byte[] zeros = new byte[64 * 1024];
            while (sent.get() < length) {
                int n = (int) Math.min(zeros.length, length - sent.get());
                out.write(zeros, 0, n);
                if (sent.addAndGet(n) % PACE_BYTES < n) {
                    Thread.sleep(PACE_MILLIS);
                }
            }
            out.flush();
        } catch (IOException closed) {
            // the server answered and closed, or the test closed the socket: that is the point
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static String header(String headers, String name, String absent) {
        for (String line : headers.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return absent;
    }
}
