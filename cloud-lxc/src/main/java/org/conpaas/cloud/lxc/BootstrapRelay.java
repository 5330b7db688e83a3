package org.conpaas.cloud.lxc;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays TCP connections from the bridge address (where containers can reach this host) to the director's HTTPS on
 * loopback (where it listens by default), byte for byte: TLS stays end to end between the node and the director, so
 * the relay sees no token. Containers download the agent through it; nothing else on the host is exposed to them.
 * At most {@value #MAX_CONNECTIONS} connections at a time; further ones wait in the listen backlog.
 */
final class BootstrapRelay implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BootstrapRelay.class);
    static final int MAX_CONNECTIONS = 64;
    private static final int CONNECT_TIMEOUT_MILLIS = 5000;

    private final ServerSocket server;
    private final InetSocketAddress target;
    private final Semaphore slots = new Semaphore(MAX_CONNECTIONS);
    private final Thread acceptor;

    private BootstrapRelay(ServerSocket server, InetSocketAddress target, String cloudName) {
        this.server = server;
        this.target = target;
        this.acceptor = new Thread(this::acceptLoop, "cloud-lxc-" + cloudName + "-relay");
        acceptor.setDaemon(true);
    }

    /** Listens on {@code listenAddress:port} and relays to {@code targetHost:port}. */
    static BootstrapRelay start(String listenAddress, String targetHost, int port, String cloudName)
            throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        try {
            server.bind(new InetSocketAddress(InetAddress.getByName(listenAddress), port), 50);
        } catch (IOException e) {
            server.close();
            throw new IOException("cannot relay the director's HTTPS on " + listenAddress + ":" + port + ": "
                    + e.getMessage(), e);
        }
        BootstrapRelay relay = new BootstrapRelay(server,
                new InetSocketAddress(InetAddress.getByName(targetHost), port), cloudName);
        relay.acceptor.start();
        LOG.info("cloud {}: relaying {}:{} to the director's HTTPS at {}:{}", cloudName, listenAddress, port,
                targetHost, port);
        return relay;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                slots.acquire();
                Socket client = server.accept();
                relay(client);
            } catch (IOException e) {
                slots.release();
                if (!server.isClosed()) {
                    LOG.warn("relay: {}", e.getMessage());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void relay(Socket client) {
        Thread connection = new Thread(() -> {
            try (client; Socket upstream = new Socket()) {
                upstream.connect(target, CONNECT_TIMEOUT_MILLIS);
                Thread back = pump(upstream, client);
                pump(client, upstream).join();
                back.join();
            } catch (IOException e) {
                LOG.debug("relay connection: {}", e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                slots.release();
            }
        }, acceptor.getName() + "-connection");
        connection.setDaemon(true);
        connection.start();
    }

    /** Copies one direction; at its end, tells the other side no more is coming. */
    private static Thread pump(Socket from, Socket to) {
        Thread pump = new Thread(() -> {
            // Closing a socket's stream would close the socket: the connection's owner closes both at the end.
            try {
                from.getInputStream().transferTo(to.getOutputStream());
                to.shutdownOutput();
            } catch (IOException e) {
                try {
                    to.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }, Thread.currentThread().getName() + "-pump");
        pump.setDaemon(true);
        pump.start();
        return pump;
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            LOG.debug("closing the relay: {}", e.getMessage());
        }
        acceptor.interrupt();
    }
}
