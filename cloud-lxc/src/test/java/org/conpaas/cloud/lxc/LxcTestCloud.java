package org.conpaas.cloud.lxc;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.conpaas.service.support.host.FileTrees;
import org.conpaas.service.support.host.HostCommand;
import org.conpaas.service.support.host.Mounts;

/**
 * The LXC clouds of the unit tests: bridge {@value #BRIDGE} at 198.18.0.129/26 (a range of its own, inside the
 * default 198.18.0.0/24, never lxcbr0), data below {@code target/}; {@link #cleanUp} removes every container, mount,
 * folder and the bridge, whatever a test left.
 */
final class LxcTestCloud {

    static final String BRIDGE = "cpstest0";
    static final Path DATA = Path.of("target/lxc-test-data").toAbsolutePath();

    private LxcTestCloud() {
    }

    static LxcSettings settings(String name, String addressRange) {
        return settings(name, addressRange, 256, 512);
    }

    static LxcSettings settings(String name, String addressRange, int memoryMb, int cpuShares) {
        return new LxcSettings(name, BRIDGE, Ipv4.Interface.parse("198.18.0.129/26"), Ipv4.Range.parse(addressRange),
                5555, DATA.resolve(name), memoryMb, cpuShares, List.of(Path.of("/usr"), Path.of("/etc/java-17-openjdk")),
                Path.of(System.getProperty("java.home")), "-Xmx64m", null, 0, 1879048192L);
    }

    static LxcCloudDriver driver(LxcSettings settings) {
        return new LxcCloudDriver(settings, 0);
    }

    /** Kills and destroys every container below {@link #DATA}, unmounts what is mounted there, removes it all. */
    static void cleanUp() throws IOException {
        if (Files.isDirectory(DATA)) {
            try (DirectoryStream<Path> clouds = Files.newDirectoryStream(DATA)) {
                for (Path cloud : clouds) {
                    Path lxcPath = cloud.resolve("containers");
                    if (!Files.isDirectory(lxcPath)) {
                        continue;
                    }
                    try (DirectoryStream<Path> containers = Files.newDirectoryStream(lxcPath, Files::isDirectory)) {
                        for (Path container : containers) {
                            String name = container.getFileName().toString();
                            HostCommand.run(30, "lxc-stop", "-P", lxcPath.toString(), "-n", name, "-k");
                            HostCommand.run(60, "lxc-destroy", "-P", lxcPath.toString(), "-n", name);
                        }
                    }
                }
            }
            Mounts.unmountBelow(DATA);
            FileTrees.deleteTree(DATA);
        }
        HostCommand.run(30, "ip", "link", "del", BRIDGE);
    }
}
