package org.conpaas.agent.core.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How the agent's HTTP server shares its threads. The JDK server's dispatcher thread only accepts connections and
 * hands each request to the executor; it must never run a request itself, or one slow operation would stop the
 * agent from accepting anything (a {@code CallerRunsPolicy} does exactly that once the pool is full).
 * <p>
 * So at most {@code maxConcurrent} requests do their work at a time; a request beyond that is answered at once with
 * {@code 503} and {@code Retry-After} by one of a few spare threads, which do nothing else. Requests the spare
 * threads cannot take at once wait in a short queue, and when even that is full the executor refuses the request
 * and the JDK server closes its connection, still on the dispatcher but without doing any work for it.
 */
final class RequestAdmission implements HttpHandler {

    /** Threads that only answer "busy"; a 503 takes them well under a millisecond. */
    static final int SPARE_THREADS = 4;
    /** Requests waiting for a thread; beyond it connections are closed. */
    static final int QUEUE = 64;
    /** What a 503 tells the client: operations last seconds, so a second is a fair first retry. */
    static final int RETRY_AFTER_SECONDS = 1;

    private final HttpHandler work;
    private final Semaphore permits;
    private final int maxConcurrent;
    private final Responses responses = new Responses();

    private RequestAdmission(HttpHandler work, int maxConcurrent) {
        this.work = work;
        this.maxConcurrent = maxConcurrent;
        this.permits = new Semaphore(maxConcurrent);
    }

    /**
     * Serves {@code api} on {@code server} with at most {@code maxConcurrent} requests at work; returns the
     * executor, which the caller shuts down after stopping the server.
     */
    static ExecutorService serve(HttpServer server, HttpHandler api, int maxConcurrent) {
        ExecutorService executor = newExecutor(maxConcurrent + SPARE_THREADS);
        server.createContext("/", new RequestAdmission(api, maxConcurrent));
        server.setExecutor(executor);
        return executor;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        if (!permits.tryAcquire()) {
            try (exchange) {
                exchange.getResponseHeaders().set("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
                responses.problem(exchange, new Problem(503, "Service Unavailable", "the agent is busy with "
                        + maxConcurrent + " requests; retry in " + RETRY_AFTER_SECONDS + " s"));
            }
            return;
        }
        try {
            work.handle(exchange);
        } finally {
            permits.release();
        }
    }

    private static ExecutorService newExecutor(int threads) {
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(QUEUE), task -> {
                    Thread thread = new Thread(task, "agent-http-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.AbortPolicy());
        executor.allowCoreThreadTimeOut(true); // an idle agent keeps no threads
        return executor;
    }
}
