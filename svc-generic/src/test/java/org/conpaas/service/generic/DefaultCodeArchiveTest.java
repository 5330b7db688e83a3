package org.conpaas.service.generic;

import static org.junit.Assert.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.Test;

public class DefaultCodeArchiveTest {

    @Test
    public void theDefaultCodeIsAZipOfTheFiveScripts() throws IOException {
        byte[] zip = new GenericServiceType().defaultCode().orElseThrow();
        List<String> names = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                names.add(e.getName());
                assertEquals(e.getName() + " is a bash script", "#!", new String(in.readNBytes(2)));
            }
        }
        assertEquals(List.of("init.sh", "notify.sh", "run.sh", "interrupt.sh", "cleanup.sh"), names);
    }
}
