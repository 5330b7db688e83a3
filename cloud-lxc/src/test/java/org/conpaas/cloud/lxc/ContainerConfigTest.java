package org.conpaas.cloud.lxc;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.Test;

/** The configuration a node's container is started with, on either base. */
public class ContainerConfigTest {

    private static final Path JAVA = Path.of("/usr/lib/jvm/java-17-openjdk-amd64");
    private static final ContainerRecord NODE = new ContainerRecord("cps-t-0000abcd", "n1", "node", "198.18.0.10",
            256, 512, new IdRange(0x70000000L));

    private static LxcSettings settings(BaseImage base, List<Path> mounts) {
        return new LxcSettings("t", "cpstest0", Ipv4.Interface.parse("198.18.0.1/24"),
                Ipv4.Range.parse("198.18.0.10-198.18.0.20"), 5555, Path.of("/var/tmp/lxc-t"), 256, 512, mounts,
                JAVA, "", null, 0, 0x70000000L, base);
    }

    private static String render(LxcSettings settings) {
        return ContainerConfig.render(settings, Path.of("/var/tmp/lxc-t/containers/cps-t-0000abcd/rootfs"), NODE,
                Path.of("/var/tmp/lxc-t/nodes/cps-t-0000abcd/media"),
                Path.of("/var/tmp/lxc-t/nodes/cps-t-0000abcd/devices"));
    }

    @Test
    public void theBusyboxBaseSeesTheHostsLibrariesAndRunsTheTemplatesInit() {
        String config = render(settings(BaseImage.DEFAULT, List.of(Path.of("/usr"))));
        assertTrue(config, config.contains("lxc.mount.entry = /usr/lib lib none ro,bind,create=dir 0 0\n"));
        assertTrue(config, config.contains("lxc.mount.entry = /usr usr none ro,bind,create=dir 0 0\n"));
        assertFalse("the template's /sbin/init: " + config, config.contains("lxc.init.cmd"));
        assertCommonParts(config);
    }

    @Test
    public void aDebianBaseKeepsItsOwnUsrAndSeesOnlyTheJdkFromTheHost() {
        BaseImage debian = new BaseImage("debian", "bookworm", BaseImage.DEFAULT_MIRROR, List.of("nginx"));
        String config = render(settings(debian, List.of(JAVA)));
        assertTrue(config, config.contains("lxc.init.cmd = /usr/local/lib/conpaas/busybox init\n"));
        assertFalse(config, config.contains(" lib none"));
        assertFalse(config, config.contains(" lib64 none"));
        assertFalse(config, config.contains("= /usr usr "));
        assertTrue(config, config.contains("lxc.mount.entry = " + JAVA + " " + JAVA.toString().substring(1)
                + " none ro,bind,create=dir 0 0\n"));
        assertCommonParts(config);
    }

    /** Network, limits, user namespace and the driver's own mounts do not depend on the base. */
    private static void assertCommonParts(String config) {
        assertTrue(config, config.contains("lxc.idmap = u 0 1879048192 65536\n"));
        assertTrue(config, config.contains("lxc.net.0.link = cpstest0\n"));
        assertTrue(config, config.contains("lxc.net.0.ipv4.address = 198.18.0.10/24 198.18.0.255\n"));
        assertFalse("no route out: " + config, config.contains("gateway"));
        assertTrue(config, config.contains("lxc.cgroup.memory.limit_in_bytes = 268435456\n"));
        assertTrue(config, config.contains("lxc.mount.entry = /var/tmp/lxc-t/nodes/cps-t-0000abcd/media "
                + "var/lib/conpaas-node/media none bind,create=dir 0 0\n"));
        assertTrue(config, config.contains("lxc.mount.entry = /var/tmp/lxc-t/host-share var/tmp/lxc-t/host-share "
                + "none ro,bind,create=dir 0 0\n"));
    }

    @Test
    public void theBootScriptPutsTheJdkFirstAndRunsTheUserDataOnce() {
        String script = ContainerConfig.bootScript(settings(BaseImage.DEFAULT, List.of()), "198.18.0.10");
        assertTrue(script, script.contains("export PATH='" + JAVA + "/bin:/usr/local/bin:/usr/bin"));
        assertTrue(script, script.contains("exec /bin/sh /etc/conpaas/user-data"));
        assertEquals(1, script.lines().filter(l -> l.startsWith("exec ")).count());
    }
}
