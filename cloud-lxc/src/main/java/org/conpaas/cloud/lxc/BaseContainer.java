package org.conpaas.cloud.lxc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.conpaas.service.support.host.FileTrees;
import org.conpaas.service.support.host.Mounts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The container every node's container is cloned from, prepared once per cloud. The default, busybox: LXC's busybox
 * template (a 2 MB rootfs whose programs are one static busybox), with the host's accounts (so that services find
 * www-data and the like; no passwords) and an init that runs the node's boot script once and nothing else (no DHCP
 * client: the address is set by LXC and must stay). With {@code base = debian}, a Debian root file system of its own
 * ({@link DebianBase}) with the same init; it keeps Debian's own accounts, which its packages added to. Either way a
 * marker is written last, so a base whose preparation was interrupted (or whose Debian settings changed) is made
 * again.
 */
final class BaseContainer {

    private static final Logger LOG = LoggerFactory.getLogger(BaseContainer.class);
    static final String READY_MARKER = "etc/conpaas-base-ready";
    /** Inside a node's container: the boot script the init runs, and the user data it runs. */
    static final String BOOT = "etc/conpaas/boot";
    static final String USER_DATA = "etc/conpaas/user-data";

    private final LxcTools lxc;
    private final String name;
    /** Null for the busybox base. */
    private final DebianBase debian;

    BaseContainer(LxcTools lxc, LxcSettings settings) {
        this.lxc = lxc;
        this.name = settings.containerPrefix() + "base";
        this.debian = settings.base().debian() ? new DebianBase(settings.name(), settings.base(),
                settings.dataDir().resolve("debian-cache")) : null;
    }

    String name() {
        return name;
    }

    /**
     * Whether the base is there and made as configured: the marker names what a Debian base was made of, so a changed
     * suite, mirror or package list makes it again (running nodes are copies and keep theirs).
     */
    boolean isReady() {
        Path marker = rootfs().resolve(READY_MARKER);
        try {
            return Files.isRegularFile(marker) && Files.readString(marker, StandardCharsets.UTF_8).equals(marker());
        } catch (IOException e) {
            return false;
        }
    }

    private String marker() {
        return "prepared by the ConPaaS LXC cloud" + (debian == null ? "" : ": " + debian.describe()) + "\n";
    }

    /** Prepares the base unless it is ready; a half-prepared one (a crash) is destroyed first. */
    synchronized void prepare() throws IOException {
        if (isReady()) {
            return;
        }
        Path dir = lxc.lxcPath().resolve(name);
        if (Files.exists(dir)) {
            LOG.info("removing the unfinished or differently configured base container {}", name);
            removeUnfinished();
        }
        long started = System.nanoTime();
        Files.createDirectories(lxc.lxcPath());
        try {
            create(dir);
        } catch (IOException | RuntimeException e) {
            // not left for the next launch to find: a Debian one is hundreds of MB
            removeUnfinished();
            throw e;
        }
        LOG.info("base container {} ({}) prepared in {} ms", name, debian == null ? "busybox" : "debian",
                (System.nanoTime() - started) / 1_000_000);
    }

    private void create(Path dir) throws IOException {
        Path rootfs = rootfs();
        if (debian == null) {
            createBusybox(rootfs);
        } else {
            // The configuration first: lxc-copy clones from it, and lxc-destroy removes an unfinished base by it.
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("config"), "# The ConPaaS LXC cloud's Debian base: never started.\n"
                    + "lxc.uts.name = " + name + "\nlxc.rootfs.path = dir:" + rootfs + "\nlxc.net.0.type = empty\n",
                    StandardCharsets.UTF_8);
            debian.create(rootfs);
        }
        Files.createDirectories(rootfs.resolve("etc/conpaas"));
        Files.createDirectories(rootfs.resolve("var/lib/conpaas-node"));
        Files.writeString(rootfs.resolve(READY_MARKER), marker(), StandardCharsets.UTF_8);
    }

    private void createBusybox(Path rootfs) throws IOException {
        Path config = lxc.lxcPath().resolve("." + name + ".conf");
        // No network for the base: it never runs; each node's configuration is written whole at launch.
        Files.writeString(config, "lxc.net.0.type = empty\n", StandardCharsets.UTF_8);
        try {
            lxc.create(name, config);
        } finally {
            Files.deleteIfExists(config);
        }
        Files.writeString(rootfs.resolve("etc/inittab"), "::sysinit:/etc/init.d/rcS\n::once:/bin/sh /" + BOOT
                + "\n", StandardCharsets.UTF_8);
        // The template's rcS starts udhcpc, which would flush the address LXC set.
        Files.writeString(rootfs.resolve("etc/init.d/rcS"), "#!/bin/sh\nmount -a 2>/dev/null\n",
                StandardCharsets.UTF_8);
        for (String accounts : new String[] {"etc/passwd", "etc/group"}) {
            Files.copy(Path.of("/").resolve(accounts), rootfs.resolve(accounts),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        // Scripts name their interpreter by path (#!/bin/bash): busybox's /bin has none but its own sh.
        for (String program : new String[] {"bash"}) {
            Path host = Path.of("/usr/bin", program);
            Path inside = rootfs.resolve("bin").resolve(program);
            if (Files.isExecutable(host) && !Files.exists(inside, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.createSymbolicLink(inside, host);
            }
        }
    }

    private void removeUnfinished() throws IOException {
        if (!Files.exists(lxc.lxcPath().resolve(name))) {
            return;
        }
        // an interrupted debootstrap leaves /proc and /sys mounted in the rootfs: never delete through them
        Mounts.unmountBelow(lxc.lxcPath().resolve(name));
        try {
            lxc.destroy(name);
        } catch (IOException e) {
            // lxc-destroy refuses a folder without a configuration: the folder alone is what is left
            FileTrees.deleteTree(lxc.lxcPath().resolve(name));
        }
    }

    private Path rootfs() {
        return lxc.lxcPath().resolve(name).resolve("rootfs");
    }
}
