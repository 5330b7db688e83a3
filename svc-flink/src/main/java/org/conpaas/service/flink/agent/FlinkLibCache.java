package org.conpaas.service.flink.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.conpaas.service.flink.FlinkLibrary;

/**
 * Flink's lib/ on this host: {@code <cache>/flink-<version>/lib/}, filled jar by jar from what the manager sends,
 * each jar checked against its SHA-256 before it is moved into place (so a jar that is there is a whole, checked
 * one). Every Flink process of the node reads it; nothing writes it after the move.
 */
final class FlinkLibCache {

    private final Path root;

    FlinkLibCache(Path cacheRoot) {
        this.root = cacheRoot;
    }

    Path lib(String version) {
        if (!FlinkLibrary.VERSION.matcher(version).matches()) {
            throw new IllegalArgumentException("not a Flink version: " + version);
        }
        return root.resolve("flink-" + version).resolve("lib");
    }

    /** The jars of the manifest this host does not hold yet. */
    List<String> missing(String version, Map<String, String> jars) {
        Path lib = lib(version);
        List<String> missing = new ArrayList<>();
        jars.keySet().forEach(name -> {
            if (!Files.isRegularFile(lib.resolve(name))) {
                missing.add(name);
            }
        });
        return missing;
    }

    /** Checks each sent jar against the manifest and moves it into place. */
    synchronized void install(String version, Map<String, String> jars, Map<String, Path> files) throws IOException {
        Path lib = lib(version);
        Files.createDirectories(lib);
        for (Map.Entry<String, Path> file : files.entrySet()) {
            String name = file.getKey();
            String expected = jars.get(name);
            if (expected == null) {
                throw new IllegalArgumentException("the jar " + name + " is not in the manifest");
            }
            String actual = FlinkLibrary.sha256(file.getValue());
            if (!actual.equals(expected)) {
                throw new IllegalArgumentException("the jar " + name + " arrived damaged (SHA-256 " + actual + ")");
            }
            Path partial = lib.resolve("." + name + ".partial");
            // the agent deletes what an operation left in its upload folder: moving is enough
            Files.move(file.getValue(), partial, StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, lib.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        List<String> stillMissing = missing(version, jars);
        if (!stillMissing.isEmpty()) {
            throw new IllegalArgumentException("Flink's lib/ still lacks " + String.join(", ", stillMissing));
        }
    }
}
