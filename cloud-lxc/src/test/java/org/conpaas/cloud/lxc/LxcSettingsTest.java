package org.conpaas.cloud.lxc;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.Test;

public class LxcSettingsTest {

    /** A configuration with the annotation's defaults, some replaced. */
    private static LxcCloudConfig config(Object... keyValues) {
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            values.put((String) keyValues[i], keyValues[i + 1]);
        }
        return (LxcCloudConfig) Proxy.newProxyInstance(LxcCloudConfig.class.getClassLoader(),
                new Class<?>[] {LxcCloudConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return LxcCloudConfig.class;
                    }
                    return values.getOrDefault(method.getName(), method.getDefaultValue());
                });
    }

    private static String refusal(Object... keyValues) {
        return assertThrows(IllegalArgumentException.class, () -> LxcSettings.from(config(keyValues)))
                .getMessage();
    }

    @Test
    public void theDefaultsAreAPrivateBridgeInside198_18_0_0WithARelayToTheDirector() {
        System.setProperty("karaf.data", "/var/tmp/karaf-data");
        LxcSettings settings = LxcSettings.from(config());
        assertEquals("lxc", settings.name());
        assertEquals("cpsbr0", settings.bridge());
        assertEquals("198.18.0.1/24", settings.bridgeAddress().toString());
        assertEquals("198.18.0.10-198.18.0.250", settings.addresses().toString());
        assertEquals(Path.of("/var/tmp/karaf-data/cloud-lxc"), settings.dataDir());
        assertEquals(512, settings.memoryMb());
        assertEquals(1024, settings.cpuShares());
        assertEquals(Path.of("/usr"), settings.hostMounts().get(0));
        assertEquals("127.0.0.1", settings.relayHost());
        assertEquals(8443, settings.relayPort());
        assertEquals("cps-lxc-", settings.containerPrefix());
        assertEquals(Path.of(System.getProperty("java.home")), settings.javaHome());
        assertEquals(0x70000000L, settings.idmapBase());
        assertEquals("the first address, the first range", new IdRange(0x70000000L), settings.ids("198.18.0.10"));
        assertEquals(new IdRange(0x70000000L + 240 * 65536), settings.ids("198.18.0.250"));
    }

    @Test
    public void idRangesAreAlignedAboveTheHostsIdsAndEndBelow2To31() {
        System.setProperty("karaf.data", "/var/tmp/karaf-data");
        assertTrue(refusal("idmapBase", 100000L).startsWith("idmapBase 100000 is not a multiple of 65536 from 65536 "
                + "on whose 241 node ranges (one per address of 198.18.0.10-198.18.0.250) end below 2147483648"));
        assertTrue(refusal("idmapBase", 0L).startsWith("idmapBase 0 is not"));
        // 241 ranges from 2^31 - 240 * 65536 would end at 2^31 + 65535
        assertTrue(refusal("idmapBase", (1L << 31) - 240 * 65536).startsWith("idmapBase"));
        assertEquals((1L << 31) - 241 * 65536, LxcSettings.from(config("idmapBase", (1L << 31) - 241 * 65536))
                .idmapBase());
        assertThrows(IllegalArgumentException.class, () -> LxcSettings.from(config()).ids("198.18.0.9"));
    }

    @Test
    public void anEmptyRelayRelaysNothing() {
        System.setProperty("karaf.data", "/var/tmp/karaf-data");
        LxcSettings settings = LxcSettings.from(config("directorRelay", ""));
        assertNull(settings.relayHost());
        assertTrue(!settings.relays());
    }

    @Test
    public void lxcnetsBridgeAndAddressesOutsideTheBridgeAreRefused() {
        System.setProperty("karaf.data", "/var/tmp/karaf-data");
        assertTrue(refusal("bridge", "lxcbr0").startsWith("bridge lxcbr0 belongs to lxc-net"));
        assertEquals("addressRange 198.18.1.10-198.18.1.20 is not inside the bridge's network 198.18.0.1/24",
                refusal("addressRange", "198.18.1.10-198.18.1.20"));
        assertEquals("addressRange 198.18.0.1-198.18.0.20 holds the bridge's own address 198.18.0.1",
                refusal("addressRange", "198.18.0.1-198.18.0.20"));
        assertTrue(refusal("bridge", "a-bridge-name-too-long").startsWith("bridge 'a-bridge-name-too-long' is not"));
        assertTrue(refusal("name", "Has Spaces").startsWith("name 'Has Spaces' is not"));
        assertEquals("memoryMb 16 is not between 64 and 1048576", refusal("memoryMb", 16));
        assertEquals("cpuShares 1 is not between 2 and 262144", refusal("cpuShares", 1));
        assertEquals("directorRelay 'nowhere' is not host:port", refusal("directorRelay", "nowhere"));
        assertTrue(refusal("hostMounts", "/usr,/etc/with space").startsWith("host mount '/etc/with space'"));
        assertTrue(refusal("bridgeAddress", "198.18.0.1").startsWith("'198.18.0.1' is not an address with a prefix"));
    }

    @Test
    public void theHostMountsAreAList() {
        System.setProperty("karaf.data", "/var/tmp/karaf-data");
        assertEquals(List.of(Path.of("/usr"), Path.of("/opt/jdk")),
                LxcSettings.from(config("hostMounts", " /usr , /opt/jdk/ ")).hostMounts());
    }


    @Test
    public void theBaseIsBusyboxWithTheHostsUsrUnlessDebianIsAsked() {
        System.setProperty("karaf.data", "/var/tmp/karaf-data");
        LxcSettings busybox = LxcSettings.from(config());
        assertEquals(BaseImage.DEFAULT, busybox.base());
        assertEquals(List.of(Path.of("/usr"), Path.of("/etc/java-17-openjdk"), Path.of("/etc/ssl"),
                Path.of("/etc/nginx"), Path.of("/etc/php")), busybox.hostMounts());

        LxcSettings debian = LxcSettings.from(config("base", "debian", "debianPackages", " nginx, php-fpm  g++ "));
        assertTrue(debian.base().debian());
        assertEquals("bookworm", debian.base().suite());
        assertEquals("http://deb.debian.org/debian", debian.base().mirror());
        assertEquals(List.of("nginx", "php-fpm", "g++"), debian.base().packages());
        // its own /usr: from the host only the agents' JDK and its settings
        assertEquals(List.of(Path.of(System.getProperty("java.home")), Path.of("/etc/java-17-openjdk")),
                debian.hostMounts());
    }

    @Test
    public void aDebianBaseAlwaysMountsTheJdkAndNeverTheHostsSystemFolders() {
        System.setProperty("karaf.data", "/var/tmp/karaf-data");
        assertEquals(List.of(Path.of("/etc/ssl"), Path.of("/opt/jdk")), LxcSettings.from(config("base", "debian",
                "hostMounts", "/etc/ssl", "javaHome", "/opt/jdk")).hostMounts());
        assertEquals(List.of(Path.of("/opt")), LxcSettings.from(config("base", "debian", "hostMounts", "/opt",
                "javaHome", "/opt/jdk")).hostMounts());
        assertEquals("host mount /usr would hide the Debian base's own /usr (base = debian): mount folders below it "
                + "instead, such as the JDK", refusal("base", "debian", "hostMounts", "/usr,/etc/java-17-openjdk"));
        assertTrue(refusal("base", "debian", "hostMounts", "/etc/").startsWith("host mount /etc would hide"));
        // the busybox base is made for them
        assertEquals(List.of(Path.of("/usr"), Path.of("/etc")), LxcSettings.from(config("hostMounts", "/usr,/etc"))
                .hostMounts());
    }

    @Test
    public void theDebianSettingsAreCheckedWhenTheFileIsRead() {
        System.setProperty("karaf.data", "/var/tmp/karaf-data");
        assertEquals("base 'ubuntu' is neither busybox (the default: the host's programs) nor debian (a Debian root "
                + "file system of its own)", refusal("base", "ubuntu"));
        assertTrue(refusal("debianSuite", "bookworm; rm").startsWith("debianSuite 'bookworm; rm' is not a Debian "
                + "suite name"));
        assertTrue(refusal("base", "debian", "debianMirror", "ftp://deb.debian.org/debian")
                .startsWith("debianMirror 'ftp://deb.debian.org/debian' is not an http or https URL"));
        assertTrue(refusal("debianMirror", "http://mirror/$(id)").startsWith("debianMirror"));
        assertTrue(refusal("debianMirror", "http://" + "m".repeat(200)).startsWith("debianMirror"));
        assertEquals("debianPackages names '--allow-unauthenticated', which is not a Debian package name (2 to 100 "
                + "of a-z 0-9 + - ., a letter or digit first)", refusal("base", "debian", "debianPackages",
                "nginx --allow-unauthenticated"));
        assertTrue(refusal("debianPackages", "Nginx").startsWith("debianPackages names 'Nginx'"));
        assertEquals("debianPackages names 101 packages; at most 100 may be installed into the base",
                refusal("base", "debian", "debianPackages", "p0 ".repeat(101)));
        assertEquals("https://mirror.example:8080/debian-archive/debian", LxcSettings.from(config("base", "debian",
                "debianMirror", "https://mirror.example:8080/debian-archive/debian")).base().mirror());
    }
}
