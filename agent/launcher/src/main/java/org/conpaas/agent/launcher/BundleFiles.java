package org.conpaas.agent.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The jars of {@code bundles/}, in file-name order (the tarball prefixes them with their start order). */
final class BundleFiles {

    private BundleFiles() {
    }

    static List<Path> inOrder(Path bundleDir) throws IOException {
        if (!Files.isDirectory(bundleDir)) {
            throw new IOException("bundle folder " + bundleDir + " does not exist");
        }
        try (Stream<Path> files = Files.list(bundleDir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().collect(Collectors.toList());
        }
    }
}
