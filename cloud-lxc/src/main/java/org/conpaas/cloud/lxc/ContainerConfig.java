package org.conpaas.cloud.lxc;

import java.nio.file.Files;
import java.nio.file.Path;
import org.conpaas.api.cloud.NodeLaunch;

/**
 * The LXC configuration of one node's container and the boot script its init runs. Written whole (not edited from
 * the base's), so what a container may do is all here: its init (a Debian base's is the copied busybox), its
 * address on the cloud's bridge and no route beyond it, the host folders it sees read-only, its media folder (whose
 * mounts the driver makes on the host and which reach the running container by mount propagation), the folder of its volume images (read-only, at the same path as on the
 * host, so the device the director hands the agent exists inside), its cgroup limits, and its user namespace: the
 * node's own range of host ids ({@link IdRange}), so that root inside is an unprivileged uid on the host and the
 * host's files (the read-only mounts) are nobody's inside.
 */
final class ContainerConfig {

    /** Where the boot script (user data) keeps the node inside the container: its default. */
    static final String NODE_DIR = "/var/lib/conpaas-node";
    /**
     * The cloud's host share (CloudDriver.hostShare), which every container sees read-only at the same path as the
     * host: the agent installed there gets a class-data-sharing archive, which the JVM takes only for the class path
     * it was made with.
     */
    static Path hostShare(LxcSettings settings) {
        return settings.dataDir().resolve("host-share");
    }

    private ContainerConfig() {
    }

    static String render(LxcSettings settings, Path rootfs, ContainerRecord node, Path mediaDir, Path devicesDir) {
        StringBuilder c = new StringBuilder();
        c.append("# Written by the ConPaaS LXC cloud ").append(settings.name()).append(" for node ")
                .append(node.nodeId().replaceAll("[^A-Za-z0-9._-]", "?")).append(".\n");
        c.append("lxc.uts.name = ").append(node.vmId()).append('\n');
        c.append("lxc.rootfs.path = dir:").append(rootfs).append('\n');
        c.append(node.ids().lxcIdmap());
        c.append("lxc.signal.halt = SIGUSR1\n");
        c.append("lxc.signal.reboot = SIGTERM\n");
        c.append("lxc.autodev = 1\n");
        c.append("lxc.tty.max = 1\n");
        c.append("lxc.pty.max = 16\n");
        c.append("lxc.cap.drop = sys_module mac_admin mac_override sys_time sys_rawio sys_boot\n");
        c.append("lxc.mount.auto = cgroup:mixed proc:mixed sys:ro\n");
        c.append("lxc.mount.entry = shm dev/shm tmpfs defaults,create=dir 0 0\n");
        // FUSE, for file systems a node mounts itself (MooseFS clients): the kernel lets a user namespace's root mount
        // FUSE, and those mounts stay inside the container
        if (Files.exists(Path.of("/dev/fuse"))) {
            c.append("lxc.mount.entry = /dev/fuse dev/fuse none bind,create=file 0 0\n");
        }
        if (settings.base().debian()) {
            // A Debian minbase has no init: the host's static busybox, copied in, runs /etc/inittab (DebianBase).
            c.append("lxc.init.cmd = /").append(DebianBase.BUSYBOX).append(" init\n");
        } else {
            // Debian's /lib and /lib64 are links into /usr: the dynamic loader and libraries of the host's programs.
            c.append("lxc.mount.entry = /usr/lib lib none ro,bind,create=dir 0 0\n");
            if (Files.isDirectory(Path.of("/usr/lib64"))) {
                c.append("lxc.mount.entry = /usr/lib64 lib64 none ro,bind,create=dir 0 0\n");
            }
        }
        for (Path mount : settings.hostMounts()) {
            if (Files.isDirectory(mount)) {
                c.append("lxc.mount.entry = ").append(mount).append(' ').append(relative(mount))
                        .append(" none ro,bind,create=dir 0 0\n");
            }
        }
        c.append("lxc.mount.entry = ").append(mediaDir).append(' ').append(relative(Path.of(NODE_DIR, "media")))
                .append(" none bind,create=dir 0 0\n");
        c.append("lxc.mount.entry = ").append(devicesDir).append(' ').append(relative(devicesDir))
                .append(" none ro,bind,create=dir 0 0\n");
        c.append("lxc.mount.entry = ").append(hostShare(settings)).append(' ')
                .append(relative(hostShare(settings))).append(" none ro,bind,create=dir 0 0\n");
        c.append("lxc.net.0.type = veth\n");
        c.append("lxc.net.0.link = ").append(settings.bridge()).append('\n');
        c.append("lxc.net.0.flags = up\n");
        c.append("lxc.net.0.name = eth0\n");
        // No lxc.net.0.ipv4.gateway: without a default route nothing in the container reaches past this host.
        c.append("lxc.net.0.ipv4.address = ").append(node.address()).append('/')
                .append(settings.bridgeAddress().prefixLength()).append(' ')
                .append(Ipv4.format(settings.bridgeAddress().broadcast())).append('\n');
        c.append("lxc.cgroup.memory.limit_in_bytes = ").append((long) node.memoryMb() * 1024 * 1024).append('\n');
        c.append("lxc.cgroup.cpu.shares = ").append(node.cpuShares()).append('\n');
        c.append("lxc.cgroup.pids.max = 4096\n");
        return c.toString();
    }

    /**
     * The init's one task: the node's user data with the JDK and then /usr first on the PATH (the host's programs on
     * a busybox base, whose own are fallbacks; the container's own on a Debian base) and the agent in the foreground
     * on the container's address (which it reports to the services it runs as the node's own, e.g. Generic's MY_IP),
     * output kept in the container's {@code /var/log/conpaas-boot.log}.
     */
    static String bootScript(LxcSettings settings, String address) {
        String path = settings.javaHome().resolve("bin") + ":/usr/local/bin:/usr/bin:/usr/sbin:/bin:/sbin";
        return "#!/bin/sh\n"
                + "# Written by the ConPaaS LXC cloud: runs the node's user data once, as cloud-init would.\n"
                + "export PATH='" + path + "'\n"
                + "export HOME=/root\n"
                + "export JAVA_HOME='" + settings.javaHome() + "'\n"
                + "export AGENT_JAVA_OPTS='" + settings.javaOptions().replace("'", "") + "'\n"
                + "export " + NodeLaunch.AGENT_ADDRESS_VARIABLE + "=" + address + "\n"
                + "export " + NodeLaunch.AGENT_PORT_VARIABLE + "=" + settings.agentPort() + "\n"
                + "export " + NodeLaunch.FOREGROUND_VARIABLE + "=1\n"
                + "mkdir -p /var/log\n"
                + "exec /bin/sh /" + BaseContainer.USER_DATA + " >> /var/log/conpaas-boot.log 2>&1 < /dev/null\n";
    }

    private static String relative(Path absolute) {
        return absolute.toString().substring(1);
    }
}
