package org.conpaas.service.support.host;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.conpaas.api.cloud.CloudNode;
import org.conpaas.api.cloud.NodeLaunch;

/**
 * Launches the nodes of one request in parallel on a few daemon threads (which end when idle) and answers one
 * {@link CloudNode} per node, in the request's order: a node whose launch threw is FAILED with the exception's
 * message, never a reason to drop the others.
 */
public final class LaunchPool implements AutoCloseable {

    private final ThreadPoolExecutor pool;

    public LaunchPool(String threadPrefix, int threads) {
        AtomicInteger threadNumber = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, threadPrefix + "-launch-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
    }

    /** Runs {@code launchOne} for each node, at most the pool's threads at a time, and waits for all of them. */
    public List<CloudNode> launchAll(List<NodeLaunch> nodes, Function<NodeLaunch, CloudNode> launchOne) {
        List<Future<CloudNode>> started = new ArrayList<>();
        for (NodeLaunch node : nodes) {
            started.add(pool.submit(() -> launchOne.apply(node)));
        }
        List<CloudNode> launched = new ArrayList<>();
        for (int i = 0; i < started.size(); i++) {
            String nodeId = nodes.get(i).nodeId();
            try {
                launched.add(started.get(i).get());
            } catch (ExecutionException e) {
                launched.add(CloudNode.failed(null, nodeId, e.getCause().getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                launched.add(CloudNode.failed(null, nodeId, "interrupted while launching"));
            }
        }
        return launched;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
