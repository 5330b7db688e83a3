package org.conpaas.cloud.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;
import org.conpaas.api.CloudException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands out loopback addresses. Each reservation is a file {@code <dir>/<address>} holding the owner's vmId, created
 * atomically, so reservations survive restarts and two drivers over the same data directory never collide.
 * A reservation whose node directory is gone (a launch interrupted by a crash) is taken back.
 */
final class AddressPool {

    private static final Logger LOG = LoggerFactory.getLogger(AddressPool.class);

    private final AddressRange range;
    private final Path dir;
    private final int port;
    private final Predicate<String> nodeExists;
    /** False where the addresses exist on no host interface (the namespace mode): nothing to probe. */
    private final boolean probe;

    AddressPool(AddressRange range, Path dir, int port, Predicate<String> nodeExists) {
        this(range, dir, port, nodeExists, true);
    }

    AddressPool(AddressRange range, Path dir, int port, Predicate<String> nodeExists, boolean probe) {
        this.range = range;
        this.dir = dir;
        this.port = port;
        this.nodeExists = nodeExists;
        this.probe = probe;
    }

    /** Reserves a free address for {@code vmId}, whose node directory must already exist. */
    synchronized String allocate(String vmId) throws IOException {
        Files.createDirectories(dir);
        Set<String> reserved = reclaimStaleAndList();
        for (long i = 0; i < range.size(); i++) {
            String address = range.address(i);
            if (reserved.contains(address) || probe && !canListen(address)) {
                continue;
            }
            try {
                Files.write(Files.createFile(dir.resolve(address)), vmId.getBytes(StandardCharsets.UTF_8));
                return address;
            } catch (FileAlreadyExistsException raced) {
                // another driver over the same directory took it just now
            }
        }
        throw new CloudException("no free address left in " + AddressRange.format(range.first()) + "-"
                + AddressRange.format(range.last()) + " (" + reserved.size() + " reserved)");
    }

    /** Frees the address if {@code vmId} still holds it. */
    synchronized void free(String address, String vmId) {
        if (address == null || address.isEmpty()) {
            return;
        }
        Path file = dir.resolve(address);
        try {
            if (Files.exists(file) && vmId.equals(Files.readString(file, StandardCharsets.UTF_8).trim())) {
                Files.delete(file);
            }
        } catch (IOException e) {
            LOG.warn("cannot free address {} of {}: {}", address, vmId, e.toString());
        }
    }

    Set<String> reserved() throws IOException {
        Set<String> addresses = new HashSet<>();
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                files.forEach(f -> addresses.add(f.getFileName().toString()));
            }
        }
        return addresses;
    }

    private Set<String> reclaimStaleAndList() throws IOException {
        Set<String> addresses = reserved();
        for (String address : Set.copyOf(addresses)) {
            Path file = dir.resolve(address);
            try {
                String owner = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (!owner.isEmpty() && !nodeExists.test(owner)) {
                    LOG.info("taking back address {} of vanished node {}", address, owner);
                    Files.deleteIfExists(file);
                    addresses.remove(address);
                }
            } catch (IOException e) {
                // a reservation being written right now: leave it
            }
        }
        return addresses;
    }

    /** Skips addresses something else on this host already listens on (another director, a stray process). */
    private boolean canListen(String address) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(InetAddress.getByName(address), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
