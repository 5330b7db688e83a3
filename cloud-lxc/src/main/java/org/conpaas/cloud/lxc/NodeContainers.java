package org.conpaas.cloud.lxc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.conpaas.api.CloudException;
import org.conpaas.service.support.host.FilePermissions;
import org.conpaas.service.support.host.FileTrees;
import org.conpaas.service.support.host.HostCommand;
import org.conpaas.service.support.host.Mounts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nodes' containers, named {@code <prefix><8 hex digits>} (the machine id), in {@code <dataDir>/containers/},
 * and the driver's folder of each, {@code <dataDir>/nodes/<vmId>/}: its {@link ContainerRecord}, {@code media/}
 * (bound into the container; made a shared mount so the driver's later mounts there reach the running container)
 * and {@code devices/} (links to the volume images attached to it). The node folder is made first: it reserves the
 * machine id and, with its record, the address.
 */
final class NodeContainers {

    private static final Logger LOG = LoggerFactory.getLogger(NodeContainers.class);

    private final LxcSettings settings;
    private final LxcTools lxc;
    private final BaseContainer base;
    private final Path nodesDir;
    private final Pattern vmIdPattern;

    NodeContainers(LxcSettings settings, LxcTools lxc, BaseContainer base) {
        this.settings = settings;
        this.lxc = lxc;
        this.base = base;
        this.nodesDir = settings.dataDir().resolve("nodes");
        this.vmIdPattern = Pattern.compile(Pattern.quote(settings.containerPrefix()) + "[0-9a-f]{8}");
    }

    /** Only ids of this cloud's shape are turned into paths or container names. */
    boolean isVmId(String vmId) {
        return vmId != null && vmIdPattern.matcher(vmId).matches();
    }

    boolean exists(String vmId) {
        return isVmId(vmId) && Files.isDirectory(nodesDir.resolve(vmId));
    }

    Path nodeDir(String vmId) {
        if (!isVmId(vmId)) {
            throw new IllegalArgumentException("not a machine id of cloud " + settings.name() + ": " + vmId);
        }
        return nodesDir.resolve(vmId);
    }

    Path mediaDir(String vmId) {
        return nodeDir(vmId).resolve("media");
    }

    Path devicesDir(String vmId) {
        return nodeDir(vmId).resolve("devices");
    }

    /** A fresh machine id with its node folder. */
    String reserveId() throws IOException {
        return FilePermissions.createUniquePrivateDirectory(nodesDir, settings.containerPrefix());
    }

    Optional<ContainerRecord> read(String vmId) {
        try {
            return Optional.of(ContainerRecord.read(nodeDir(vmId)));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The machine ids of this cloud's nodes: the node folders of its prefix, nothing else. */
    List<String> vmIds() throws IOException {
        List<String> ids = new ArrayList<>();
        if (Files.isDirectory(nodesDir)) {
            try (DirectoryStream<Path> dirs = Files.newDirectoryStream(nodesDir, Files::isDirectory)) {
                dirs.forEach(d -> {
                    if (isVmId(d.getFileName().toString())) {
                        ids.add(d.getFileName().toString());
                    }
                });
            }
        }
        ids.sort(null);
        return ids;
    }

    /** The addresses held by records. */
    Set<String> addressesInUse() throws IOException {
        Set<String> used = new HashSet<>();
        for (String vmId : vmIds()) {
            read(vmId).ifPresent(r -> used.add(r.address()));
        }
        return used;
    }

    /**
     * Lets the containers' roots (unprivileged uids) reach their own folders, which LXC opens as them at each start:
     * every folder above the data folder may be entered by others (not listed), as may the data folder itself,
     * {@code containers/} and {@code nodes/}; each container's and node's folder then admits its own node only
     * ({@link #create}). Run before every launch: the local cloud closes the other folders of Karaf's data/ to its
     * node accounts when it starts.
     */
    void openPaths() throws IOException {
        Path dataDir = settings.dataDir();
        for (String entered : List.of("containers", "nodes")) {
            FilePermissions.setMode(Files.createDirectories(dataDir.resolve(entered)), "rwx--x--x");
        }
        for (Path opened : FilePermissions.letOthersEnter(dataDir)) {
            LOG.info("cloud {}: {} may now be entered (not listed) by others, so that the containers' "
                    + "unprivileged roots reach their folders below it", settings.name(), opened);
        }
    }

    /** Clones the base into the node's container, writes its configuration, boot script and user data. */
    void create(ContainerRecord node, String userData) throws IOException {
        if (userData == null || userData.isBlank()) {
            throw new CloudException("node has no user data to boot from");
        }
        base.prepare();
        Path dir = nodeDir(node.vmId());
        Files.createDirectories(mediaDir(node.vmId()));
        Files.createDirectories(devicesDir(node.vmId()));
        lxc.copy(base.name(), node.vmId());
        Path container = lxc.lxcPath().resolve(node.vmId());
        Path rootfs = container.resolve("rootfs");
        Files.writeString(container.resolve("config"),
                ContainerConfig.render(settings, rootfs, node, mediaDir(node.vmId()), devicesDir(node.vmId())),
                StandardCharsets.UTF_8);
        Files.writeString(rootfs.resolve("etc/hosts"), "127.0.0.1 localhost\n" + node.address() + " "
                + node.vmId() + "\n", StandardCharsets.UTF_8);
        FilePermissions.writePrivate(rootfs.resolve(BaseContainer.BOOT),
                ContainerConfig.bootScript(settings, node.address()).getBytes(StandardCharsets.UTF_8));
        // It holds the node's key: private, like the user data of a real cloud's machine.
        FilePermissions.writePrivate(rootfs.resolve(BaseContainer.USER_DATA),
                userData.getBytes(StandardCharsets.UTF_8));
        node.write(dir);
        giveToContainer(node.ids(), dir, container, rootfs);
    }

    /**
     * What the container's root (an unprivileged uid on the host, see {@link IdRange}) must own or reach: the
     * clone's root file system becomes the node's ids, its media folder its root's (it writes there; the driver's
     * volume mounts appear there). LXC opens the root file system and the bind mounts' sources as that uid, so the
     * container's folder and the node folder let the node's group enter them, and nobody else: the configuration,
     * record and log inside stay root's.
     */
    private static void giveToContainer(IdRange ids, Path nodeDir, Path container, Path rootfs) throws IOException {
        ids.takeOver(rootfs, IdRange.HOST);
        for (Path entered : List.of(nodeDir, container)) {
            FilePermissions.setOwner(entered, 0, ids.root());
            FilePermissions.setMode(entered, "rwx--x---");
        }
        Path media = nodeDir.resolve("media");
        FilePermissions.setOwner(media, ids.root(), ids.root());
        FilePermissions.setMode(media, "rwxr-xr-x");
    }

    /** Starts the container, its media folder made a shared mount first (once). */
    void start(String vmId) throws IOException {
        Path media = mediaDir(vmId);
        if (Mounts.read().stream().noneMatch(m -> m.mountPoint().equals(media))) {
            mount("--bind", media.toString(), media.toString());
            mount("--make-shared", media.toString());
        }
        lxc.start(vmId, nodeDir(vmId).resolve("lxc.log"));
    }

    String state(String vmId) throws IOException {
        return lxc.state(vmId);
    }

    /** Kills and destroys the container and removes the node folder after taking every mount off it. */
    void delete(String vmId) throws IOException {
        Optional<ContainerRecord> record = read(vmId);
        lxc.kill(vmId);
        if (Files.isDirectory(lxc.lxcPath().resolve(vmId))) {
            lxc.destroy(vmId);
        }
        if (record.isPresent()) {
            // The address goes to the next node: the host must not keep sending to this container's MAC address.
            HostCommand.run(10, "ip", "neigh", "flush", "to", record.get().address(), "dev", settings.bridge());
        }
        Mounts.unmountBelow(nodeDir(vmId));
        FileTrees.deleteTree(nodeDir(vmId));
        LOG.info("cloud {}: container {} destroyed", settings.name(), vmId);
    }

    /**
     * What a crash may have left: containers of this cloud without a node folder (a launch interrupted before its
     * record was written, or a node folder removed by hand) are destroyed.
     */
    void removeOrphanContainers() throws IOException {
        if (!Files.isDirectory(lxc.lxcPath())) {
            return;
        }
        List<String> orphans = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(lxc.lxcPath(), Files::isDirectory)) {
            dirs.forEach(d -> {
                String name = d.getFileName().toString();
                if (isVmId(name) && read(name).isEmpty()) {
                    orphans.add(name);
                }
            });
        }
        for (String vmId : orphans) {
            LOG.info("cloud {}: removing container {} left by an interrupted launch", settings.name(), vmId);
            lxc.kill(vmId);
            lxc.destroy(vmId);
        }
    }

    private static void mount(String... arguments) throws IOException {
        String[] command = new String[arguments.length + 1];
        command[0] = "mount";
        System.arraycopy(arguments, 0, command, 1, arguments.length);
        String failure = Mounts.run(command);
        if (failure != null) {
            throw new CloudException("cannot prepare the media folder " + arguments[arguments.length - 1] + ": "
                    + failure);
        }
    }
}
