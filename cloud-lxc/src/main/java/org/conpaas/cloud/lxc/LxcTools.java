package org.conpaas.cloud.lxc;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.conpaas.api.CloudException;
import org.conpaas.service.support.host.HostCommand;

/**
 * The lxc-* tools of the Debian package lxc, always on this cloud's own container folder ({@code -P}), never on
 * {@code /var/lib/lxc} or on containers of other names.
 */
final class LxcTools {

    private static final long QUICK_SECONDS = 30;
    /** lxc-create runs the busybox template; lxc-copy copies a rootfs. */
    private static final long SLOW_SECONDS = 180;

    private final Path lxcPath;
    private final String cloudName;

    LxcTools(Path lxcPath, String cloudName) {
        this.lxcPath = lxcPath;
        this.cloudName = cloudName;
    }

    Path lxcPath() {
        return lxcPath;
    }

    /** Whether the tools are installed. */
    static boolean installed() {
        return !HostCommand.locate("lxc-start").equals("lxc-start")
                && !HostCommand.locate("lxc-copy").equals("lxc-copy");
    }

    void create(String container, Path config) throws IOException {
        run(SLOW_SECONDS, "lxc-create", "-P", lxcPath.toString(), "-n", container, "-t", "busybox", "-f",
                config.toString());
    }

    void copy(String from, String to) throws IOException {
        run(SLOW_SECONDS, "lxc-copy", "-P", lxcPath.toString(), "-n", from, "-N", to);
    }

    void start(String container, Path log) throws IOException {
        run(QUICK_SECONDS, "lxc-start", "-P", lxcPath.toString(), "-n", container, "-o", log.toString(),
                "-l", "WARN");
    }

    /** Kills the container at once (no clean shutdown: its node is being released); stopped or gone is fine. */
    void kill(String container) throws IOException {
        String state = state(container);
        if (state != null && !"STOPPED".equals(state)) {
            HostCommand.Result result = HostCommand.run(QUICK_SECONDS, "lxc-stop", "-P", lxcPath.toString(), "-n",
                    container, "-k");
            String after = state(container);
            if (!result.ok() && after != null && !"STOPPED".equals(after)) {
                throw new CloudException("cloud " + cloudName + " cannot stop container " + container + ": "
                        + result.error("lxc-stop"));
            }
        }
    }

    void destroy(String container) throws IOException {
        run(SLOW_SECONDS, "lxc-destroy", "-P", lxcPath.toString(), "-n", container);
    }

    /** RUNNING, STOPPED, STARTING, STOPPING…, or null when the container does not exist. */
    String state(String container) throws IOException {
        HostCommand.Result result = HostCommand.run(QUICK_SECONDS, "lxc-info", "-P", lxcPath.toString(), "-n",
                container, "-s", "-H");
        return result.ok() ? result.output().strip() : null;
    }

    /** The value of a cgroup setting of a running container, as the kernel enforces it. */
    String cgroup(String container, String key) throws IOException {
        HostCommand.Result result = HostCommand.run(QUICK_SECONDS, "lxc-cgroup", "-P", lxcPath.toString(), "-n",
                container, key);
        if (!result.ok()) {
            throw new CloudException("cloud " + cloudName + " cannot read " + key + " of container " + container
                    + ": " + result.error("lxc-cgroup"));
        }
        return result.output().strip();
    }

    private void run(long timeoutSeconds, String... command) throws IOException {
        List<String> line = new ArrayList<>(List.of(command));
        HostCommand.Result result = HostCommand.run(timeoutSeconds, line.toArray(String[]::new));
        if (!result.ok()) {
            throw new CloudException("cloud " + cloudName + ": " + command[0] + " " + command[4] + " failed: "
                    + result.error(command[0]));
        }
    }
}
