package org.conpaas.service.xtreemfs;

import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.conpaas.api.service.ManagerState;

/**
 * The service's volumes in the manager's persistent state, one key per field ({@code volume:<name>:<field>}; a name
 * never contains ':'). The password is the volume's MooseFS export password, the credential a client mounts with.
 */
final class Volumes {

    record Volume(String owner, String password, int factor) {
    }

    private static final String PREFIX = "volume:";
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ManagerState state;

    Volumes(ManagerState state) {
        this.state = state;
    }

    Map<String, Volume> all() {
        Map<String, Volume> volumes = new TreeMap<>();
        state.all().keySet().stream().filter(k -> k.startsWith(PREFIX) && k.endsWith(":password"))
                .map(k -> k.substring(PREFIX.length(), k.length() - ":password".length()))
                .forEach(name -> get(name).ifPresent(v -> volumes.put(name, v)));
        return volumes;
    }

    Optional<Volume> get(String name) {
        return state.get(key(name, "password")).map(password -> new Volume(
                state.get(key(name, "owner")).orElse(""), password,
                state.get(key(name, "factor")).map(Integer::parseInt).orElse(1)));
    }

    void put(String name, Volume volume) {
        state.put(key(name, "owner"), volume.owner());
        state.put(key(name, "factor"), String.valueOf(volume.factor()));
        state.put(key(name, "password"), volume.password());
    }

    void remove(String name) {
        state.remove(key(name, "password"));
        state.remove(key(name, "owner"));
        state.remove(key(name, "factor"));
    }

    /** name → password, as the master's node writes its exports. */
    Map<String, Object> exports() {
        Map<String, Object> exports = new LinkedHashMap<>();
        all().forEach((name, volume) -> exports.put(name, volume.password()));
        return exports;
    }

    static String newPassword() {
        StringBuilder password = new StringBuilder();
        for (int i = 0; i < 24; i++) {
            password.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return password.toString();
    }

    private static String key(String name, String field) {
        return PREFIX + name + ":" + field;
    }
}
