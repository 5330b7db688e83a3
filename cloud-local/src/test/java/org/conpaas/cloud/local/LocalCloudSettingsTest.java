package org.conpaas.cloud.local;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.lang.annotation.Annotation;
import java.nio.file.Path;
import org.junit.Test;

public class LocalCloudSettingsTest {

    @Test
    public void defaultsResolveKarafDataAndTheRunningJava() {
        String previous = System.getProperty("karaf.data");
        System.setProperty("karaf.data", "/srv/karaf/data");
        try {
            LocalCloudSettings settings = LocalCloudSettings.from(config("${karaf.data}/cloud-local", "", "10.0.0.1-10.0.0.9"
                    .replace("10.", "127.")));
            assertEquals(Path.of("/srv/karaf/data/cloud-local"), settings.dataDir());
            assertEquals(Path.of(System.getProperty("java.home")), settings.javaHome());
            assertEquals("default", settings.name());
            assertEquals(9, settings.addresses().size());
            assertEquals("127.0.0.9", settings.addresses().address(8));
        } finally {
            if (previous == null) {
                System.clearProperty("karaf.data");
            } else {
                System.setProperty("karaf.data", previous);
            }
        }
    }

    @Test
    public void anUnsetPlaceholderIsReportedByName() {
        try {
            LocalCloudSettings.resolve("${conpaas.test.unset}/x");
            fail();
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("system property conpaas.test.unset is not set"));
        }
    }

    @Test
    public void addressRangesMustStayOnLoopback() {
        assertEquals(65534, AddressRange.parse("127.1.0.1-127.1.255.254").size());
        assertEquals("127.1.1.0", AddressRange.parse("127.1.0.1-127.1.255.254").address(255));
        for (String bad : new String[] {"10.0.0.1-10.0.0.5", "127.0.0.5-127.0.0.1", "127.0.0.1", "127.0.0.300-127.0.1.1",
                "127.0.0.1-128.0.0.1"}) {
            try {
                AddressRange.parse(bad);
                fail(bad + " accepted");
            } catch (IllegalArgumentException expected) {
                assertTrue(expected.getMessage(), !expected.getMessage().isEmpty());
            }
        }
    }

    @Test
    public void theAgentsJavaAppliesLiveAndWhatNamesExistingNodesWaitsForARestart() throws Exception {
        Path dataDir = java.nio.file.Files.createTempDirectory("cloud-local-modified");
        LocalCloudDriver driver = new LocalCloudDriver(LocalCloudSettings.from(config(dataDir.toString(), "",
                "127.77.3.1-127.77.3.9", 5555, "-Xmx48m")), false, new NodeSandbox(java.util.List.of()));
        try {
            String otherJava = dataDir.resolve("other-jdk").toString();
            driver.modified(config(dataDir.toString(), otherJava, "127.77.4.1-127.77.4.9", 6666, "-Xmx64m"));
            LocalCloudSettings now = driver.settings();
            assertEquals("-Xmx64m", now.javaOptions());
            assertEquals(Path.of(otherJava), now.javaHome());
            assertEquals("the port of running agents stays", 5555, now.port());
            assertEquals("127.77.3.1", now.addresses().address(0));
            assertEquals("default", driver.name());
        } finally {
            driver.close();
            try (var files = java.nio.file.Files.walk(dataDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static LocalCloudConfig config(String dataDir, String javaHome, String range) {
        return config(dataDir, javaHome, range, 5555, "-Xmx48m");
    }

    private static LocalCloudConfig config(String dataDir, String javaHome, String range, int port,
            String javaOptions) {
        return new LocalCloudConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return LocalCloudConfig.class;
            }

            @Override
            public String name() {
                return "default";
            }

            @Override
            public String addressRange() {
                return range;
            }

            @Override
            public int port() {
                return port;
            }

            @Override
            public String dataDir() {
                return dataDir;
            }

            @Override
            public String javaHome() {
                return javaHome;
            }

            @Override
            public String javaOptions() {
                return javaOptions;
            }

            @Override
            public String network() {
                return "loopback";
            }

            @Override
            public String bridge() {
                return "cpsns0";
            }

            @Override
            public String bridgeAddress() {
                return "198.19.0.1/24";
            }

            @Override
            public String nodeUids() {
                return "2000000000-2000000009";
            }
        };
    }
}
