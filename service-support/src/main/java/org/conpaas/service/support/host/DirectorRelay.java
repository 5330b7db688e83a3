package org.conpaas.service.support.host;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries TCP connections from a bridge (where a cloud's nodes reach this host: network namespaces of the local
 * cloud, LXC containers) to a loopback address of this host (where the director's HTTPS listens, out of the nodes'
 * reach), byte for byte: TLS runs end to end between the node
 * and the director, so the relay sees neither the token nor the agent. Only the one port is relayed. At most
 * {@value #MAX_CONNECTIONS} connections at a time; more wait in the listen backlog.
 */
public final class DirectorRelay implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DirectorRelay.class);
    static final int MAX_CONNECTIONS = 64;
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    /** A download that stalls this long is dropped (the node's curl retries). */
    private static final int IDLE_TIMEOUT_MILLIS = 120_000;

    private final ServerSocket server;
    private final InetSocketAddress target;
    private final Semaphore slots = new Semaphore(MAX_CONNECTIONS);

    private final String threadName;

    private DirectorRelay(ServerSocket server, InetSocketAddress target, String threadName) {
        this.server = server;
        this.target = target;
        this.threadName = threadName;
    }

    /**
     * Listens on {@code listenAddress:port} and relays to {@code loopbackHost:port}; {@code owner} names the relay in
     * logs and thread names (e.g. {@code cloud-local-ns}).
     */
    public static DirectorRelay start(String listenAddress, String loopbackHost, int port, String owner)
            throws IOException {
        ServerSocket server = new ServerSocket();
        try {
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getByName(listenAddress), port), 50);
        } catch (IOException e) {
            server.close();
            throw new IOException("cannot relay the director's HTTPS on " + listenAddress + ":" + port + ": "
                    + e.getMessage(), e);
        }
        String threadName = owner + "-relay-" + port;
        DirectorRelay relay = new DirectorRelay(server, new InetSocketAddress(InetAddress.getByName(loopbackHost),
                port), threadName);
        Thread acceptor = new Thread(relay::acceptLoop, threadName);
        acceptor.setDaemon(true);
        acceptor.start();
        LOG.info("{}: relaying {}:{} to {}:{} for the nodes' downloads", owner, listenAddress, port,
                loopbackHost, port);
        return relay;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                slots.acquire();
                Socket client;
                try {
                    client = server.accept();
                } catch (IOException e) {
                    slots.release();
                    throw e;
                }
                Thread pair = new Thread(() -> relay(client), threadName + "-connection");
                pair.setDaemon(true);
                pair.start();
            } catch (IOException e) {
                if (!server.isClosed()) {
                    LOG.warn("relay to {} stopped accepting: {}", target, e.toString());
                }
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void relay(Socket client) {
        try (client; Socket upstream = new Socket()) {
            upstream.connect(target, CONNECT_TIMEOUT_MILLIS);
            client.setSoTimeout(IDLE_TIMEOUT_MILLIS);
            upstream.setSoTimeout(IDLE_TIMEOUT_MILLIS);
            Thread back = new Thread(() -> copy(upstream, client), threadName + "-back");
            back.setDaemon(true);
            back.start();
            copy(client, upstream);
            back.join(IDLE_TIMEOUT_MILLIS);
        } catch (IOException e) {
            LOG.debug("relayed connection to {} ended: {}", target, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            slots.release();
        }
    }

    /** Copies one direction until its end, then half-closes the other side so the peer sees the end too. */
    private static void copy(Socket from, Socket to) {
        // Not closed here: closing a socket's stream closes the socket, and the other direction may still run.
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            in.transferTo(out);
            to.shutdownOutput();
        } catch (IOException e) {
            // one side closed or timed out: the pair ends with the other direction
            try {
                to.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            LOG.debug("closing the relay: {}", e.toString());
        }
    }
}
