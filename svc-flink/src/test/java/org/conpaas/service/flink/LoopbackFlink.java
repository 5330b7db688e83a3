package org.conpaas.service.flink;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.conpaas.api.AgentException;
import org.conpaas.api.agent.AgentPlugin;
import org.conpaas.api.service.ServiceNode;
import org.conpaas.service.flink.agent.FlinkAgentPlugin;
import org.conpaas.service.testing.FakeServiceContext;
import org.conpaas.service.testing.LoopbackNodes;

/**
 * A Flink service without a director: the real manager with a fake service context whose agent calls reach real
 * agent plug-ins on loopback nodes (each its own 127.0.R.n address and folder), which start real Flink processes
 * from the lib/ of svc-flink-dist. Files sent with a call are copied first, as the agent protocol would upload them.
 */
final class LoopbackFlink implements AutoCloseable {

    static final FlinkSettings SETTINGS = new FlinkSettings("0.0.0.0", 512, 768, 2, "", 1000, 20, 500);

    final FakeServiceContext context = new FakeServiceContext();
    final LoopbackNodes<FlinkAgentPlugin> nodes;
    final FlinkManager manager;
    private final Map<String, AgentPlugin> plugins = new HashMap<>();
    private final Path uploads;

    LoopbackFlink() throws IOException {
        nodes = new LoopbackNodes<>("flink", FlinkAgentPlugin::new);
        uploads = Files.createDirectories(nodes.base.resolve("uploads"));
        manager = new FlinkManager(context, SETTINGS, new TestDistribution(distLib(nodes.base.resolve("director"))));
        context.answers = (node, call) -> {
            Map<String, Path> uploaded = new LinkedHashMap<>();
            try {
                for (Map.Entry<String, Path> file : call.files().entrySet()) {
                    Path copy = Files.createTempFile(uploads, "upload-", ".part");
                    Files.copy(file.getValue(), copy, StandardCopyOption.REPLACE_EXISTING);
                    uploaded.put(file.getKey(), copy);
                }
                return plugins.get(node.id()).invoke(call.operation(), call.params(), uploaded);
            } catch (Exception e) {
                throw new AgentException(node.id(), "node " + node.id() + " failed " + call.operation() + ": "
                        + e.getMessage(), e);
            } finally {
                for (Path file : uploaded.values()) {
                    try {
                        Files.deleteIfExists(file);
                    } catch (IOException ignored) {
                        // the nodes' folder is deleted at close
                    }
                }
            }
        };
    }

    /** Node {@code n} with its plug-in, not yet part of the service. */
    ServiceNode node(int n, String role) throws IOException {
        FlinkAgentPlugin plugin = nodes.node(n);
        ServiceNode node = new ServiceNode("node-" + n, role, nodes.address(n), 5555, "default", "vm-" + n);
        plugins.put(node.id(), plugin);
        return node;
    }

    /** The WordCount example of Flink's from Maven Central (a test dependency). */
    static Path wordCountJar() {
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (entry.contains("flink-examples-streaming") && entry.endsWith("-WordCount.jar")) {
                return Path.of(entry);
            }
        }
        throw new IllegalStateException("flink-examples-streaming (WordCount) is not on the test class path");
    }

    /** Flink's lib/ as the director would unpack it from the svc-flink-dist bundle (on the test class path). */
    static FlinkDistribution.Lib distLib(Path folder) throws IOException {
        URL marker = LoopbackFlink.class.getClassLoader().getResource(FlinkDistribution.LIB_PATH);
        if (marker == null) {
            throw new IllegalStateException("svc-flink-dist is not on the test class path");
        }
        Path lib = Files.createDirectories(folder.resolve("lib"));
        Map<String, String> jars = new TreeMap<>();
        try (JarFile dist = ((JarURLConnection) marker.openConnection()).getJarFile()) {
            for (JarEntry entry : java.util.Collections.list(dist.entries())) {
                String name = entry.getName();
                if (name.startsWith(FlinkDistribution.LIB_PATH + "/") && name.endsWith(".jar")) {
                    Path jar = lib.resolve(name.substring(name.lastIndexOf('/') + 1));
                    try (InputStream in = dist.getInputStream(entry)) {
                        Files.copy(in, jar, StandardCopyOption.REPLACE_EXISTING);
                    }
                    jars.put(jar.getFileName().toString(), FlinkLibrary.sha256(jar));
                }
            }
        }
        return new FlinkDistribution.Lib(System.getProperty("flink.version", "1.20.0"), lib, jars);
    }

    @Override
    public void close() throws IOException {
        nodes.close();
    }

    /** The director's side of the distribution, without a bundle. */
    static final class TestDistribution extends FlinkDistribution {
        private final Lib lib;

        TestDistribution(Lib lib) {
            super(null);
            this.lib = lib;
        }

        @Override
        public synchronized Lib lib() {
            return lib;
        }
    }
}
