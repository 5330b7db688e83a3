package org.conpaas.cloud.local;

import static org.junit.Assert.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Builds a stand-in for the agent runtime tarball: conpaas-agent/bin/conpaas-agent is a sh script that reads its
 * address and port from agent.properties and runs an HTTP listener there as a child process (so terminating must
 * reach the whole process group), serving the node directory.
 */
final class FakeAgentArchive {

    static final String AGENT_SCRIPT = """
            #!/bin/sh
            props="$1"
            value() { sed -n "s/^$1=//p" "$props"; }
            addr=$(value 'conpaas\\.agent\\.address')
            port=$(value 'conpaas\\.agent\\.port')
            work=$(value 'conpaas\\.agent\\.workDir')
            echo "JAVA_HOME=$JAVA_HOME"
            echo "AGENT_JAVA_OPTS=$AGENT_JAVA_OPTS"
            if [ -f startup-ran ]; then echo "startup script ran before the agent"; fi
            /usr/bin/python3 -m http.server --bind "$addr" --directory "$work" "$port" &
            echo $! > "$work/child.pid"
            wait
            """;

    private FakeAgentArchive() {
    }

    static Path build(Path workDir) throws IOException, InterruptedException {
        Path staging = workDir.resolve("archive-staging");
        Path bin = Files.createDirectories(staging.resolve("conpaas-agent/bin"));
        Files.writeString(bin.resolve("conpaas-agent"), AGENT_SCRIPT, StandardCharsets.UTF_8);
        bin.resolve("conpaas-agent").toFile().setExecutable(true);
        return tar(staging, workDir.resolve("conpaas-agent.tar.gz"));
    }

    /** A valid tar.gz that lacks the agent launcher. */
    static Path buildWithoutLauncher(Path workDir) throws IOException, InterruptedException {
        Path staging = workDir.resolve("empty-staging");
        Files.createDirectories(staging.resolve("conpaas-agent/lib"));
        Files.writeString(staging.resolve("conpaas-agent/lib/readme.txt"), "no launcher here");
        return tar(staging, workDir.resolve("no-launcher.tar.gz"));
    }

    private static Path tar(Path staging, Path archive) throws IOException, InterruptedException {
        Process tar = new ProcessBuilder("tar", "-czf", archive.toString(), "-C", staging.toString(), "conpaas-agent")
                .inheritIO().start();
        if (!tar.waitFor(30, TimeUnit.SECONDS)) {
            tar.destroyForcibly();
        }
        assertEquals("tar exit code", 0, tar.exitValue());
        return archive;
    }
}
