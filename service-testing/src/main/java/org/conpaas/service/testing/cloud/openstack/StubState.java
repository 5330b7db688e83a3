package org.conpaas.service.testing.cloud.openstack;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What the stub cloud holds; every access is synchronized on the instance. */
final class StubState {

    static final String PROJECT_ID = "0c5e1f0e3f0a4b7e9f3d2c1b0a998877";
    static final String USER_ID = "7d1e2c3b4a5f46e7a8b9c0d1e2f3a4b5";
    static final String PRIVATE_NETWORK_ID = "2f0c6a3e-7b8d-4c1e-9a2f-3b4c5d6e7f80";
    static final String PUBLIC_NETWORK_ID = "9e8d7c6b-5a4f-4e3d-2c1b-0a9f8e7d6c5b";
    static final String IMAGE_ID = "5b1a7c2e-0d3f-4e8a-9b6c-1d2e3f4a5b6c";
    static final String IMAGE_NAME = "debian-12-conpaas";

    /** A Nova server with its one Neutron port. */
    static final class Server {
        final String id = UUID.randomUUID().toString();
        final String portId = UUID.randomUUID().toString();
        final Instant created = Instant.now();
        final long activeAtNanos;
        String name;
        String flavorId;
        String imageId;
        String keyName;
        List<String> securityGroups = List.of();
        Map<String, String> metadata = Map.of();
        String userData;
        String fixedAddress;
        String mac;

        Server(long activeAtNanos) {
            this.activeAtNanos = activeAtNanos;
        }

        String status() {
            return System.nanoTime() >= activeAtNanos ? "ACTIVE" : "BUILD";
        }
    }

    static final class Volume {
        final String id = UUID.randomUUID().toString();
        final Instant created = Instant.now();
        String name;
        int sizeGb;
        Map<String, String> metadata = Map.of();
        String serverId;
        String device;
        /** The image file that is the volume, when the stub keeps disks. */
        java.nio.file.Path disk;

        String status() {
            return serverId == null ? "available" : "in-use";
        }
    }

    static final class FloatingIp {
        final String id = UUID.randomUUID().toString();
        final Instant created = Instant.now();
        String address;
        String networkId;
        String portId;
        String fixedAddress;
        String description = "";
    }

    final Map<String, String> tokens = new LinkedHashMap<>();
    final Map<String, Server> servers = new LinkedHashMap<>();
    final Map<String, Volume> volumes = new LinkedHashMap<>();
    final Map<String, FloatingIp> floatingIps = new LinkedHashMap<>();
    /** id to name */
    final Map<String, String> flavors = new LinkedHashMap<>(Map.of("1", "m1.tiny", "2", "m1.small"));
    final List<String> deletedServers = new ArrayList<>();
}
