package org.conpaas.core.internal.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The agent artifacts this reactor built (or, when core-impl is built alone, the installed ones). */
public final class BuiltAgent {

    private static final String VERSION = "0.1.0-SNAPSHOT";

    private BuiltAgent() {
    }

    /** The agent runtime tarball ({@code conpaas.agent.tarball} names another). */
    public static Path runtimeTarball() {
        return locate(System.getProperty("conpaas.agent.tarball"),
                Path.of("..", "agent", "dist", "target", "conpaas-agent-" + VERSION + ".tar.gz"),
                localRepository().resolve("org/conpaas/conpaas-agent/" + VERSION + "/conpaas-agent-" + VERSION
                        + ".tar.gz"));
    }

    /** The test plug-in bundle (agent/test-plugin). */
    public static Path testPluginJar() {
        String name = "agent-test-plugin-" + VERSION + ".jar";
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.endsWith(name)) {
                return Path.of(entry);
            }
        }
        return locate(null, Path.of("..", "agent", "test-plugin", "target", name),
                localRepository().resolve("org/conpaas/agent-test-plugin/" + VERSION + "/" + name));
    }

    private static Path locate(String configured, Path... candidates) {
        if (configured != null) {
            return Path.of(configured);
        }
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate)) {
                return candidate.toAbsolutePath();
            }
        }
        throw new IllegalStateException("not built: none of " + List.of(candidates) + " exists (build agent/ first)");
    }

    private static Path localRepository() {
        String configured = System.getProperty("maven.repo.local");
        return configured != null ? Path.of(configured) : Path.of(System.getProperty("user.home"), ".m2", "repository");
    }
}
