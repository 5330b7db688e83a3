package org.conpaas.cloud.lxc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.conpaas.api.CloudException;
import org.conpaas.service.support.host.FilePermissions;
import org.conpaas.service.support.host.HostCommand;
import org.conpaas.service.support.host.Mounts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The root file system of a Debian base ({@link BaseImage#debian()}): debootstrap's minbase of the suite from the
 * mirror (its packages kept in the cloud's cache folder, so a base made again downloads nothing), the configured
 * packages installed with apt-get in a chroot (no service started: a policy-rc.d forbids it), and the busybox-style
 * init of the busybox base: the host's static busybox copied in, reading an inittab that runs a sysinit of our own and
 * then the node's boot script once. No DHCP client and no ifupdown configuration that asks for one: LXC sets the
 * address, and nothing may flush it. Everything runs on this host, which needs the mirror; the containers never reach
 * it (they have no route out).
 */
final class DebianBase {

    private static final Logger LOG = LoggerFactory.getLogger(DebianBase.class);
    /** Inside the base: the init (lxc.init.cmd), and what it runs before the boot script. */
    static final String BUSYBOX = "usr/local/lib/conpaas/busybox";
    static final String SYSINIT = "usr/local/lib/conpaas/sysinit";
    /** busybox-static's: statically linked, so it runs whatever libraries the container's suite has. */
    static final Path HOST_BUSYBOX = Path.of("/bin/busybox");
    /** debootstrap of a minbase takes about a minute with a good mirror; a slow one is given its time. */
    private static final long DEBOOTSTRAP_SECONDS = 1200;
    private static final long APT_SECONDS = 1200;
    /** The tools debootstrap and apt-get call (chroot, mount, dpkg) are in the sbin folders a director may lack. */
    private static final String PATH = "PATH=/usr/sbin:/usr/bin:/sbin:/bin";

    private final String cloud;
    private final BaseImage image;
    private final Path cacheDir;

    DebianBase(String cloud, BaseImage image, Path cacheDir) {
        this.cloud = cloud;
        this.image = image;
        this.cacheDir = cacheDir;
    }

    /** What the base is made of, for its marker. */
    String describe() {
        return "debian " + image.suite() + " from " + image.mirror() + " with packages ["
                + String.join(" ", image.packages()) + "]";
    }

    /** Makes the Debian root file system at {@code rootfs} (a folder that must not exist yet). */
    void create(Path rootfs) throws IOException {
        if (!Files.isRegularFile(HOST_BUSYBOX) || HostCommand.locate("debootstrap").equals("debootstrap")) {
            throw new CloudException("cloud " + cloud + " cannot prepare its Debian base: it needs the Debian "
                    + "packages debootstrap and busybox-static (" + HOST_BUSYBOX + " is the containers' init)");
        }
        Files.createDirectories(cacheDir);
        long started = System.nanoTime();
        LOG.info("cloud {}: installing Debian {} from {} into its base container (debootstrap, about a minute the "
                + "first time)", cloud, image.suite(), image.mirror());
        try {
            HostCommand.Result strap = HostCommand.run(DEBOOTSTRAP_SECONDS, "env", PATH, "debootstrap",
                    "--variant=minbase", "--cache-dir=" + cacheDir, image.suite(), rootfs.toString(), image.mirror());
            if (!strap.ok()) {
                throw new CloudException("cloud " + cloud + " cannot prepare its Debian base: debootstrap of "
                        + image.suite() + " from " + image.mirror() + " failed (is the mirror reachable from this "
                        + "host, and the suite one of its?): " + lastWords(strap));
            }
            LOG.info("cloud {}: Debian {} installed in {} s", cloud, image.suite(), seconds(started));
            if (!image.packages().isEmpty()) {
                installPackages(rootfs);
                LOG.info("cloud {}: packages {} installed into the Debian base, {} s in all", cloud,
                        String.join(" ", image.packages()), seconds(started));
            }
        } finally {
            // debootstrap mounts /proc and /sys in the target; a failure may leave them there
            Mounts.unmountBelow(rootfs);
        }
        installInit(rootfs);
    }

    private void installPackages(Path rootfs) throws IOException {
        // Services are the agents' to start, and no init is running in the chroot anyway.
        Path policy = rootfs.resolve("usr/sbin/policy-rc.d");
        Files.writeString(policy, "#!/bin/sh\n# ConPaaS: services in a node are started by its agent.\nexit 101\n",
                StandardCharsets.UTF_8);
        FilePermissions.setMode(policy, "rwxr-xr-x");
        Path resolv = rootfs.resolve("etc/resolv.conf");
        Files.deleteIfExists(resolv);
        // apt-get resolves the mirror as this host does; the containers have no route out, so it goes again after
        Files.copy(Path.of("/etc/resolv.conf"), resolv);
        try {
            apt(rootfs, "update");
            List<String> install = new ArrayList<>(List.of("install", "-y", "--no-install-recommends"));
            install.addAll(image.packages());
            apt(rootfs, install.toArray(String[]::new));
            apt(rootfs, "clean");
        } finally {
            Files.deleteIfExists(resolv);
        }
        // package lists are tens of MB that every node's copy would carry; apt-get update brings them back
        Path lists = rootfs.resolve("var/lib/apt/lists");
        if (!Files.isDirectory(lists)) {
            return;
        }
        try (var files = Files.list(lists)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    Files.delete(file);
                }
            }
        }
    }

    private void apt(Path rootfs, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of("chroot", rootfs.toString(), "/usr/bin/env", PATH,
                "DEBIAN_FRONTEND=noninteractive", "LC_ALL=C", "apt-get", "-q"));
        command.addAll(List.of(arguments));
        HostCommand.Result result = HostCommand.run(APT_SECONDS, command.toArray(String[]::new));
        if (!result.ok()) {
            throw new CloudException("cloud " + cloud + " cannot prepare its Debian base: apt-get "
                    + String.join(" ", arguments) + " failed: " + lastWords(result));
        }
    }

    /**
     * busybox init on /etc/inittab, as in the busybox base; its sysinit only mounts what /etc/fstab names (nothing,
     * unless a package added to it) and makes /run/lock, which Debian's daemons expect.
     */
    private static void installInit(Path rootfs) throws IOException {
        Path busybox = rootfs.resolve(BUSYBOX);
        Files.createDirectories(busybox.getParent());
        Files.copy(HOST_BUSYBOX, busybox, StandardCopyOption.REPLACE_EXISTING);
        FilePermissions.setMode(busybox, "rwxr-xr-x");
        Path sysinit = rootfs.resolve(SYSINIT);
        Files.writeString(sysinit, "#!/bin/sh\n"
                + "# Written by the ConPaaS LXC cloud. No network setup: LXC set the address.\n"
                + "mount -a 2>/dev/null\n"
                + "mkdir -p /run/lock\n", StandardCharsets.UTF_8);
        FilePermissions.setMode(sysinit, "rwxr-xr-x");
        Files.writeString(rootfs.resolve("etc/inittab"), "::sysinit:/bin/sh /" + SYSINIT + "\n::once:/bin/sh /"
                + BaseContainer.BOOT + "\n", StandardCharsets.UTF_8);
        // Should ifupdown be installed as a package: eth0 is LXC's, never DHCP's.
        Files.createDirectories(rootfs.resolve("etc/network"));
        Files.writeString(rootfs.resolve("etc/network/interfaces"), "# Written by the ConPaaS LXC cloud: the "
                + "address is LXC's.\nauto lo\niface lo inet loopback\niface eth0 inet manual\n",
                StandardCharsets.UTF_8);
    }

    /** debootstrap and apt-get say a lot; the errors (E:) or else the last lines tell what went wrong. */
    private static String lastWords(HostCommand.Result result) {
        List<String> lines = result.output().strip().lines().toList();
        List<String> errors = lines.stream().filter(l -> l.startsWith("E:")).toList();
        List<String> told = errors.isEmpty() ? lines.subList(Math.max(0, lines.size() - 3), lines.size()) : errors;
        String text = String.join("; ", told);
        return text.isEmpty() ? "exit status " + result.status() : text;
    }

    private static long seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000_000;
    }
}
