package org.conpaas.core.internal.agent;

import java.io.FileNotFoundException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A {@code multipart/form-data} body: a {@code params} part (JSON) and one part per file, streamed from disk so
 * large code archives are never held in memory.
 */
final class MultipartBody {

    private final String boundary = "conpaas-" + UUID.randomUUID();
    private final HttpRequest.BodyPublisher publisher;

    MultipartBody(byte[] paramsJson, Map<String, Path> files) {
        List<HttpRequest.BodyPublisher> parts = new ArrayList<>();
        parts.add(text("--" + boundary + "\r\nContent-Disposition: form-data; name=\"params\"\r\n"
                + "Content-Type: application/json\r\n\r\n"));
        parts.add(HttpRequest.BodyPublishers.ofByteArray(paramsJson));
        for (Map.Entry<String, Path> file : files.entrySet()) {
            parts.add(text("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\""
                    + quoted(file.getKey()) + "\"; filename=\"" + quoted(file.getValue().getFileName().toString())
                    + "\"\r\nContent-Type: application/octet-stream\r\n\r\n"));
            try {
                parts.add(HttpRequest.BodyPublishers.ofFile(file.getValue()));
            } catch (FileNotFoundException e) {
                throw new IllegalArgumentException("the file " + file.getValue() + " to send does not exist", e);
            }
        }
        parts.add(text("\r\n--" + boundary + "--\r\n"));
        publisher = HttpRequest.BodyPublishers.concat(parts.toArray(new HttpRequest.BodyPublisher[0]));
    }

    String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    HttpRequest.BodyPublisher publisher() {
        return publisher;
    }

    private static HttpRequest.BodyPublisher text(String text) {
        return HttpRequest.BodyPublishers.ofByteArray(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Quotes and line breaks would end the header value early; part names and file names never need them. */
    private static String quoted(String value) {
        return value.replace("\"", "_").replace("\r", "_").replace("\n", "_");
    }
}
