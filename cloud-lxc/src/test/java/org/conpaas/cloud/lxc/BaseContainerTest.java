package org.conpaas.cloud.lxc;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.conpaas.service.support.host.FileTrees;
import org.junit.After;
import org.junit.Test;

/** Which base counts as ready: its marker must name what the settings ask for (the making is LxcCloudIT's). */
public class BaseContainerTest {

    private static final Path DATA = Path.of("target/base-container-test").toAbsolutePath();

    @After
    public void removeData() throws Exception {
        FileTrees.deleteTree(DATA);
    }

    private static BaseContainer base(BaseImage image) {
        LxcSettings settings = new LxcSettings("t", "cpstest0", Ipv4.Interface.parse("198.18.0.1/24"),
                Ipv4.Range.parse("198.18.0.10-198.18.0.20"), 5555, DATA, 256, 512, List.of(Path.of("/opt/jdk")),
                Path.of("/opt/jdk"), "", null, 0, 0x70000000L, image);
        return new BaseContainer(new LxcTools(DATA.resolve("containers"), "t"), settings);
    }

    private static void marker(String text) throws Exception {
        Path marker = DATA.resolve("containers/cps-t-base/rootfs").resolve(BaseContainer.READY_MARKER);
        Files.createDirectories(marker.getParent());
        Files.writeString(marker, text, StandardCharsets.UTF_8);
    }

    @Test
    public void aBusyboxBaseOfAnEarlierVersionStaysReady() throws Exception {
        assertFalse(base(BaseImage.DEFAULT).isReady());
        marker("prepared by the ConPaaS LXC cloud\n");
        assertTrue(base(BaseImage.DEFAULT).isReady());
        assertFalse("a busybox base is no Debian one", base(debian(List.of())).isReady());
    }

    @Test
    public void aDebianBaseOfOtherPackagesIsMadeAgain() throws Exception {
        marker("prepared by the ConPaaS LXC cloud: debian bookworm from http://deb.debian.org/debian with packages "
                + "[nginx]\n");
        assertTrue(base(debian(List.of("nginx"))).isReady());
        assertFalse(base(debian(List.of("nginx", "php-fpm"))).isReady());
        assertFalse(base(BaseImage.DEFAULT).isReady());
    }

    private static BaseImage debian(List<String> packages) {
        return new BaseImage("debian", "bookworm", BaseImage.DEFAULT_MIRROR, packages);
    }
}
