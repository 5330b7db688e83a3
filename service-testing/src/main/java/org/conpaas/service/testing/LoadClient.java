package org.conpaas.service.testing;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.conpaas.service.testing.LoopbackNodes.Answer;
import org.conpaas.service.testing.LoopbackNodes.Browser;

/**
 * Loops over requests to one URL on its own thread (a fresh connection each, at most 20000, until closed), recording
 * every answer that is not a good one: so a test can change servers under load and then assert that nothing failed.
 */
public final class LoadClient implements AutoCloseable {

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger done = new AtomicInteger();
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private final Thread thread;

    /** Good answers have status 200. */
    public LoadClient(String url) {
        this(url, answer -> answer.status() == 200);
    }

    public LoadClient(String url, Predicate<Answer> good) {
        thread = new Thread(() -> {
            Browser browser = new Browser();
            for (int i = 0; i < 20_000 && running.get(); i++) {
                try {
                    Answer answer = browser.get(url);
                    if (!good.test(answer)) {
                        failures.add(answer.status() + " " + answer.body());
                    }
                } catch (IOException e) {
                    failures.add(e.toString());
                }
                done.incrementAndGet();
            }
        }, "load-client");
        thread.start();
    }

    /** Waits (at most 20 s) until the client has made {@code count} more requests. */
    public void awaitMore(int count) throws InterruptedException {
        int target = done.get() + count;
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (done.get() < target && System.nanoTime() < deadline && thread.isAlive()) {
            Thread.sleep(5);
        }
        assertTrue("the client made no progress", done.get() >= target);
    }

    public void assertNoFailure() {
        assertEquals("failed requests out of " + done.get(), List.of(), List.copyOf(failures));
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(15_000);
    }
}
