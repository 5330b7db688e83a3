package org.conpaas.service.xtreemfs.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.conpaas.api.agent.NodeEnvironment;
import org.conpaas.api.agent.ProcessRunner.ProcessResult;

/**
 * Changes to the MooseFS namespace (a volume's folder, its goal) need a client mount: MooseFS has no other way to make
 * a folder. The master's node mounts the root briefly, in a mount namespace of its own (a user namespace too when the
 * node is not root, as a local cloud's node accounts), so the mount is invisible outside and ends with the command.
 * Arguments reach the shell as positional parameters, never inside the script text.
 */
final class AdminMount {

    static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final Path FUSE = Path.of("/dev/fuse");

    private final NodeEnvironment environment;
    private final Path mountPoint;

    AdminMount(NodeEnvironment environment) {
        this.environment = environment;
        this.mountPoint = environment.workDir().resolve("admin-mount");
    }

    /**
     * Runs {@code script} (sh, with the mount point as $1 and {@code args} as $2…) while the root of the file system
     * is mounted there; answers its output, throws with it when anything failed.
     */
    String run(String master, String script, List<String> args) throws IOException {
        if (!Files.isReadable(FUSE) || !Files.isWritable(FUSE)) {
            throw new IllegalStateException("the node cannot use /dev/fuse (MooseFS's client needs it readable and "
                    + "writable by the node's account; Debian's default mode is 0666): chmod 0666 /dev/fuse");
        }
        Files.createDirectories(mountPoint);
        String wrapped = "set -e; mfsmount \"$1\" -H \"$MFS_MASTER\" -o mfsioretries=5 >/dev/null 2>&1 "
                + "|| { echo 'mfsmount of the master failed'; exit 3; }; "
                + "trap 'umount \"$1\" 2>/dev/null || umount -l \"$1\"' EXIT; " + script;
        List<String> command = new ArrayList<>(List.of("unshare"));
        command.add(isRoot() ? "-m" : "-Urm");
        command.addAll(List.of("sh", "-c", wrapped, "sh", mountPoint.toString()));
        command.addAll(args);
        ProcessResult result = environment.processes().run(command, environment.workDir(),
                Map.of("MFS_MASTER", master), TIMEOUT);
        if (!result.succeeded()) {
            throw new IllegalStateException((result.timedOut() ? "timed out: " : "")
                    + result.output().trim().replaceAll("\\s+", " "));
        }
        return result.output();
    }

    static boolean isRoot() {
        return ProcessHandle.current().info().user().map(u -> u.equals("root") || u.equals("0")).orElse(false);
    }
}
