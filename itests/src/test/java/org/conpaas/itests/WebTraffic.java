package org.conpaas.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * What the web hosting itests send: code archives, and HTTP clients (a browser keeping its session, a client
 * looping over requests).
 */
final class WebTraffic {

    private WebTraffic() {
    }

    /** A zip of these files (path → text), deleted when the container exits. */
    static Path zip(Map<String, String> files) throws IOException {
        Path zip = Files.createTempFile("web-it", ".zip");
        zip.toFile().deleteOnExit();
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
            for (Map.Entry<String, String> file : files.entrySet()) {
                z.putNextEntry(new ZipEntry(file.getKey()));
                z.write(file.getValue().getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
        return zip;
    }

    record Answer(int status, String body) {
    }

    /** Keeps its session cookie; one connection per request, so every request is counted. */
    static final class Browser {
        private String cookie;

        Answer get(String url) throws IOException {
            HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
            connection.setConnectTimeout(5000);
            connection.setReadTimeout(10000);
            connection.setRequestProperty("Connection", "close");
            if (cookie != null) {
                connection.setRequestProperty("Cookie", cookie);
            }
            try {
                int status = connection.getResponseCode();
                String setCookie = connection.getHeaderField("Set-Cookie");
                if (setCookie != null) {
                    cookie = setCookie.split(";", 2)[0];
                }
                InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
                return new Answer(status, in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } finally {
                connection.disconnect();
            }
        }
    }

    /** Loops over requests on its own thread (at most 20000), recording every answer that is not 200. */
    static final class Client implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicInteger done = new AtomicInteger();
        private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
        private final Thread thread;

        Client(String url) {
            thread = new Thread(() -> {
                Browser browser = new Browser();
                for (int i = 0; i < 20_000 && running.get(); i++) {
                    try {
                        Answer answer = browser.get(url);
                        if (answer.status() != 200) {
                            failures.add(answer.status() + " " + answer.body());
                        }
                    } catch (IOException e) {
                        failures.add(e.toString());
                    }
                    done.incrementAndGet();
                }
            }, "web-it-client");
            thread.start();
        }

        void awaitMore(int count) throws InterruptedException {
            int target = done.get() + count;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (done.get() < target && System.nanoTime() < deadline && thread.isAlive()) {
                Thread.sleep(5);
            }
            assertTrue("the client made no progress", done.get() >= target);
        }

        void assertNoFailure() {
            assertEquals("failed requests out of " + done.get(), List.of(), List.copyOf(failures));
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(15_000);
        }
    }
}
