package org.conpaas.itests;

import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.conpaas.api.model.NodeInfo;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.options.SystemPropertyOption;

/**
 * The LXC cloud {@value #NAME} of the integration tests, added to any boot of the distribution ("the cloud as a
 * parameter"): bridge {@value #BRIDGE} at 198.18.0.193/26 (a range of its own inside 198.18.0.0/24, never lxcbr0),
 * its data in {@code target/lxc-it} (a fixed folder, so a run cleans what a killed run left), the director's
 * bootstrap URL and HTTPS host name on the bridge address (the driver relays it to the director's loopback HTTPS).
 * {@link #destroyEverything} (also run before the boot) kills and destroys every container there, unmounts, deletes
 * the folder and the bridge. Plain JDK only: it runs both in the test runner and inside the container.
 */
final class LxcItCloud {

    static final String NAME = "lxc";
    static final String BRIDGE = "cpsit0";
    static final String BRIDGE_ADDRESS = "198.18.0.193";
    /** Each container's memory limit: the xtreemfs starting node's MooseFS master alone takes about 300 MB. */
    static final int MEMORY_MB = 1024;
    static final String DATA_PROPERTY = "conpaas.itest.lxc.data";
    /**
     * The second cloud, on a Debian base, that one test configures itself: a bridge and an address range of its own
     * (198.18.0.65/26, apart from this cloud's and the unit tests' 198.18.0.129/26), and an idmapBase of its own
     * (ranges of two clouds must never meet), its data in {@code target/lxc-it-debian}.
     */
    static final String DEBIAN_NAME = "lxcdeb";
    static final String DEBIAN_BRIDGE = "cpsitd0";
    static final String DEBIAN_DATA_PROPERTY = "conpaas.itest.lxc.debianData";
    static final long DEBIAN_IDMAP_BASE = 0x71000000L;
    /** The driver's default: the containers' roots are host uids from here on. */
    static final long IDMAP_BASE = 0x70000000L;

    private LxcItCloud() {
    }

    /** The distribution {@code boot} with the LXC cloud configured. */
    static Option[] with(Option[] boot) throws Exception {
        Path data = Paths.get(System.getProperty("conpaas.itest.dir", "target"), "lxc-it").toAbsolutePath();
        destroyEverything(data);
        Path debianData = Paths.get(System.getProperty("conpaas.itest.dir", "target"), "lxc-it-debian")
                .toAbsolutePath();
        destroyEverything(debianData, DEBIAN_BRIDGE);
        String https = null;
        for (Option option : boot) {
            if (option instanceof SystemPropertyOption p && p.getKey().equals(DirectorTestSupport.HTTPS_PORT_PROPERTY)) {
                https = p.getValue();
            }
        }
        String file = "etc/org.conpaas.cloud.lxc-" + NAME + ".cfg";
        return OptionUtils.combine(boot,
                systemProperty(DATA_PROPERTY).value(data.toString()),
                systemProperty(DEBIAN_DATA_PROPERTY).value(debianData.toString()),
                editConfigurationFilePut(file, "name", NAME),
                editConfigurationFilePut(file, "bridge", BRIDGE),
                editConfigurationFilePut(file, "bridgeAddress", BRIDGE_ADDRESS + "/26"),
                editConfigurationFilePut(file, "addressRange", "198.18.0.200-198.18.0.230"),
                editConfigurationFilePut(file, "dataDir", data.toString()),
                editConfigurationFilePut(file, "memoryMb", Integer.toString(MEMORY_MB)),
                editConfigurationFilePut(file, "cpuShares", "512"),
                editConfigurationFilePut(file, "directorRelay", "127.0.0.1:" + https),
                editConfigurationFilePut("etc/org.conpaas.director.cfg", "nodeBootstrapUrl",
                        "https://" + BRIDGE_ADDRESS + ":" + https + "/api/v1/nodes/bootstrap"),
                editConfigurationFilePut("etc/org.conpaas.https.cfg", "hostName", BRIDGE_ADDRESS));
    }

    /**
     * The LXC cloud's nodes seen from this host: a path under the node's media folder is the driver's mount on the
     * host, any other path is in the container's root file system; the node's mount points are the driver's mounts
     * in its media folder, named as the node names them (they reach the container by propagation).
     */
    static final NodeView NODES = new NodeView() {
        private static final String MEDIA = "/var/lib/conpaas-node/media";

        @Override
        public String cloud() {
            return NAME;
        }

        @Override
        public Path onHost(NodeInfo node, String pathInNode) {
            if (pathInNode.startsWith(MEDIA + "/")) {
                return media(node).resolve(pathInNode.substring(MEDIA.length() + 1));
            }
            return data().resolve("containers").resolve(node.vmId()).resolve("rootfs")
                    .resolve(pathInNode.substring(1));
        }

        @Override
        public List<String> mountPoints(NodeInfo node) throws IOException {
            List<String> points = new ArrayList<>();
            if (!Files.isDirectory(media(node))) {
                return points; // the node is gone, and its mounts with it
            }
            String prefix = media(node).toRealPath() + "/";
            for (String line : Files.readAllLines(Paths.get("/proc/self/mountinfo"), StandardCharsets.UTF_8)) {
                String point = line.split(" ")[4];
                if (point.startsWith(prefix)) {
                    points.add(MEDIA + "/" + point.substring(prefix.length()));
                }
            }
            return points;
        }

        @Override
        public boolean agentsGone(long applicationId) throws Exception {
            return nodeContainers().isEmpty();
        }

        /** The container's host name is its machine id. */
        @Override
        public String phpNodeName() {
            return "gethostname()";
        }

        /** nginx and php-fpm run inside the first node's container, its address is the URL's. */
        @Override
        public void checkWebNode(NodeInfo first, String url) throws Exception {
            List<String> commands = commandsIn(first.vmId());
            if (commands.stream().noneMatch(c -> c.startsWith("nginx"))
                    || commands.stream().noneMatch(c -> c.startsWith("php-fpm"))) {
                throw new AssertionError("nginx and php-fpm in container " + first.vmId() + ": " + commands);
            }
        }

        private Path media(NodeInfo node) {
            return data().resolve("nodes").resolve(node.vmId()).resolve("media");
        }
    };

    /** Inside the container: the cloud's data folder. */
    static Path data() {
        return Paths.get(System.getProperty(DATA_PROPERTY));
    }

    /** Inside the container: the Debian cloud's data folder. */
    static Path debianData() {
        return Paths.get(System.getProperty(DEBIAN_DATA_PROPERTY));
    }

    /** The node containers there now (the base excluded). */
    static List<String> nodeContainers() throws IOException {
        return nodeContainers(data(), NAME);
    }

    /** The node containers of cloud {@code cloud} in {@code cloudData} (its base excluded). */
    static List<String> nodeContainers(Path cloudData, String cloud) throws IOException {
        List<String> names = new ArrayList<>();
        Path lxcPath = cloudData.resolve("containers");
        if (Files.isDirectory(lxcPath)) {
            try (DirectoryStream<Path> dirs = Files.newDirectoryStream(lxcPath, Files::isDirectory)) {
                dirs.forEach(d -> names.add(d.getFileName().toString()));
            }
        }
        names.remove("cps-" + cloud + "-base");
        names.sort(null);
        return names;
    }

    /** The command lines of the processes in container {@code vmId}. */
    static List<String> commandsIn(String vmId) {
        List<String> found = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(p -> {
            try {
                String cgroup = Files.readString(Paths.get("/proc", Long.toString(p.pid()), "cgroup"));
                if (cgroup.contains(vmId)) {
                    found.add(Files.readString(Paths.get("/proc", Long.toString(p.pid()), "cmdline")).replace('\0', ' ')
                            .strip());
                }
            } catch (IOException gone) {
                // ended meanwhile
            }
        });
        return found;
    }

    /** The agent JVMs running in container {@code vmId} (their cgroup is the container's). */
    static List<ProcessHandle> agentsIn(String vmId) {
        List<ProcessHandle> found = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(p -> {
            try {
                String cgroup = Files.readString(Paths.get("/proc", Long.toString(p.pid()), "cgroup"));
                String command = Files.readString(Paths.get("/proc", Long.toString(p.pid()), "cmdline"));
                if (cgroup.contains(vmId) && command.contains("conpaas-agent.jar")) {
                    found.add(p);
                }
            } catch (IOException gone) {
                // ended meanwhile
            }
        });
        return found;
    }

    /** The real uid of a process as this host sees it: the first number of Uid: in its /proc status. */
    static long hostUid(ProcessHandle process) throws IOException {
        for (String line : Files.readAllLines(Paths.get("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("Uid:")) {
                return Long.parseLong(line.substring(4).trim().split("\\s+")[0]);
            }
        }
        throw new AssertionError("no Uid: in the status of process " + process.pid());
    }

    /**
     * The memory limit, in bytes, that the kernel enforces on container {@code vmId}: its agent's memory cgroup
     * ({@code memory.limit_in_bytes} under cgroup v1, {@code memory.max} under v2).
     */
    static long memoryLimit(String vmId) throws IOException {
        ProcessHandle agent = agentsIn(vmId).stream().findFirst()
                .orElseThrow(() -> new AssertionError("no agent in container " + vmId));
        for (String line : Files.readAllLines(Paths.get("/proc", Long.toString(agent.pid()), "cgroup"))) {
            String[] parts = line.split(":", 3);
            if (parts[1].equals("memory")) {
                return Long.parseLong(Files.readString(Paths.get("/sys/fs/cgroup/memory" + parts[2],
                        "memory.limit_in_bytes")).strip());
            }
            if (parts[0].equals("0") && parts[1].isEmpty()) {
                return Long.parseLong(Files.readString(Paths.get("/sys/fs/cgroup" + parts[2], "memory.max")).strip());
            }
        }
        throw new AssertionError("no memory cgroup for the agent of " + vmId);
    }

    /** Every container of the folder killed and destroyed, its mounts taken off, the folder and the bridge gone. */
    static void destroyEverything(Path data) throws Exception {
        destroyEverything(data, BRIDGE);
    }

    static void destroyEverything(Path data, String bridge) throws Exception {
        Path lxcPath = data.resolve("containers");
        if (Files.isDirectory(lxcPath)) {
            try (DirectoryStream<Path> dirs = Files.newDirectoryStream(lxcPath, Files::isDirectory)) {
                for (Path dir : dirs) {
                    String name = dir.getFileName().toString();
                    run("lxc-stop", "-P", lxcPath.toString(), "-n", name, "-k");
                    run("lxc-destroy", "-P", lxcPath.toString(), "-n", name);
                }
            }
        }
        if (Files.isDirectory(data)) {
            List<String> mounts = new ArrayList<>();
            for (String line : Files.readAllLines(Paths.get("/proc/self/mountinfo"), StandardCharsets.UTF_8)) {
                String point = line.split(" ")[4];
                if (point.startsWith(data.toRealPath() + "/")) {
                    mounts.add(point);
                }
            }
            mounts.sort(Comparator.comparingInt(String::length).reversed());
            for (String point : mounts) {
                run("umount", "-l", point);
            }
            try (Stream<Path> walk = Files.walk(data)) {
                walk.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
        run("ip", "link", "del", bridge);
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
