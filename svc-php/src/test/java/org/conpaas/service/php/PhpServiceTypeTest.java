package org.conpaas.service.php;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.Test;

public class PhpServiceTypeTest {

    private final PhpServiceType type = new PhpServiceType(new PhpServiceType.Config() {
        @Override
        public int proxyPort() {
            return 0;
        }

        @Override
        public Class<? extends Annotation> annotationType() {
            return PhpServiceType.Config.class;
        }
    });

    @Test
    public void startsWithOnePackedProxyAndCountsMeanBackends() {
        assertEquals(List.of("proxy", "web", "backend"), type.roles());
        assertEquals(Map.of("proxy", 1), type.startingNodes());
        assertEquals("backend", type.defaultRole());
    }

    @Test
    public void codeDefaultIsAWelcomePage() throws Exception {
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(type.defaultCode().orElseThrow()))) {
            ZipEntry entry = zip.getNextEntry();
            assertEquals("index.html", entry.getName());
            assertTrue(new String(zip.readAllBytes(), StandardCharsets.UTF_8).contains("Welcome to ConPaaS!"));
            assertEquals(null, zip.getNextEntry());
        }
    }
}
