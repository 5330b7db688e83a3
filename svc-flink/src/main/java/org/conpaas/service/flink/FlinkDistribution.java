package org.conpaas.service.flink;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.conpaas.api.AgentException;
import org.conpaas.api.ConflictException;
import org.conpaas.api.service.AgentCalls;
import org.conpaas.api.service.ServiceContext;
import org.conpaas.api.service.ServiceNode;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * Flink's lib/ as the director holds it: the jars of the svc-flink-dist bundle, copied once into this bundle's data
 * folder with their SHA-256. Where the nodes' cloud shares a folder among the nodes of a machine (the local and LXC
 * clouds), the director puts the jars there once per machine; elsewhere a node gets only the jars its own cache lacks,
 * each checked against the manifest on arrival.
 */
public class FlinkDistribution {

    public static final String DIST_BUNDLE = "org.conpaas.service.flink.dist";
    static final String LIB_PATH = "flink/lib";

    /** What a node needs to get a lib/: the version and the jars with their SHA-256. */
    public record Lib(String version, Path folder, Map<String, String> jars) {
    }

    private final BundleContext context;
    private Lib cached;
    private long cachedFrom = -1;

    public FlinkDistribution(BundleContext context) {
        this.context = context;
    }

    /** The lib/ the director serves, unpacked from the dist bundle at first use (again when it was updated). */
    public synchronized Lib lib() throws IOException {
        Bundle dist = distBundle();
        if (cached != null && cachedFrom == dist.getLastModified()) {
            return cached;
        }
        String version = dist.getHeaders().get("Flink-Version");
        if (version == null || !FlinkLibrary.VERSION.matcher(version).matches()) {
            throw new ConflictException("the bundle " + DIST_BUNDLE + " names no Flink version");
        }
        Path folder = context.getDataFile("flink-" + version + "-" + dist.getLastModified()).toPath();
        Path lib = folder.resolve("lib");
        Map<String, String> jars = new TreeMap<>();
        Enumeration<URL> entries = dist.findEntries(LIB_PATH, "*.jar", false);
        List<URL> urls = entries == null ? List.of() : Collections.list(entries);
        if (urls.isEmpty()) {
            throw new ConflictException("the bundle " + DIST_BUNDLE + " holds no " + LIB_PATH + "/*.jar");
        }
        Files.createDirectories(lib);
        for (URL url : urls) {
            String name = url.getPath().substring(url.getPath().lastIndexOf('/') + 1);
            Path jar = lib.resolve(name);
            if (!Files.isRegularFile(jar)) {
                Path partial = lib.resolve("." + name + ".partial");
                try (InputStream in = url.openStream()) {
                    Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
                }
                Files.move(partial, jar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            jars.put(name, FlinkLibrary.sha256(jar));
        }
        cached = new Lib(version, lib, Collections.unmodifiableMap(jars));
        cachedFrom = dist.getLastModified();
        return cached;
    }

    /**
     * The lib/ folder the node's machine shares among its nodes (the director fills it once per machine), or empty
     * when the node's cloud gives it a machine of its own: then it gets the jars into its own cache ({@link
     * #install}).
     */
    public Optional<String> sharedLib(ServiceNode node, ServiceContext context) throws IOException {
        Lib lib = lib();
        Map<String, Path> files = new TreeMap<>();
        lib.jars().keySet().forEach(name -> files.put(name, lib.folder().resolve(name)));
        // the digest of the manifest in the name: a folder name always stands for the same jars
        String digest = FlinkLibrary.sha256(lib.jars().toString().getBytes(StandardCharsets.UTF_8)).substring(0, 16);
        return context.shareOnHost(node, "flink-" + lib.version() + "-lib-" + digest, files);
    }

    /**
     * Gives every node whose machine shares no lib/ ({@link #sharedLib}) the jars its cache lacks; returns how many
     * jars were sent in all.
     */
    public int install(List<ServiceNode> nodes, ServiceContext context) throws IOException {
        Lib lib = lib();
        AgentCalls agents = context.agents();
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put(FlinkOperations.VERSION, lib.version());
        manifest.put(FlinkOperations.JARS, lib.jars());
        int sent = 0;
        for (ServiceNode node : nodes) {
            if (sharedLib(node, context).isPresent()) {
                continue;
            }
            Object answer = agents.call(node, FlinkOperations.LIB_MISSING, manifest);
            List<String> missing = new ArrayList<>();
            if (answer instanceof Map<?, ?> map && map.get("missing") instanceof List<?> list) {
                list.forEach(name -> missing.add(String.valueOf(name)));
            }
            if (missing.isEmpty()) {
                continue;
            }
            Map<String, Path> files = new LinkedHashMap<>();
            for (String name : missing) {
                if (!lib.jars().containsKey(name)) {
                    throw new AgentException(node.id(), "the node asked for a jar that is not Flink's: " + name);
                }
                files.put(name, lib.folder().resolve(name));
            }
            agents.call(node, FlinkOperations.LIB_INSTALL, manifest, files);
            sent += files.size();
        }
        return sent;
    }

    private Bundle distBundle() {
        for (Bundle bundle : context.getBundles()) {
            if (DIST_BUNDLE.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        throw new ConflictException("Flink's runtime is not installed: the bundle " + DIST_BUNDLE
                + " (artifact svc-flink-dist) is missing; install the feature conpaas-service-flink");
    }
}
