package org.conpaas.service.xtreemfs.shell;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.Test;

/** What the cps:xtreemfs-* commands print for the manager's answers. */
public class XtreemfsCommandsTest {

    @Test
    public void volumesAreATable() {
        String out = XtreemfsVolumesCommand.render(Map.of("volumes", List.of(Map.of("name", "data", "owner", "alice",
                "replicationFactor", 2, "mount", "mfsmount <folder> -H 198.19.0.2 -S /data -o mfspassword=<p>"))));
        String[] lines = out.split("\n");
        assertEquals(out, 2, lines.length);
        assertTrue(out, lines[0].startsWith("Volume"));
        assertTrue(out, lines[1].matches("data\\s+alice\\s+2\\s+mfsmount <folder> -H 198.19.0.2 -S /data .*"));
    }

    @Test
    public void credentialsAreTheNoteAndOneMountLinePerVolume() {
        String out = XtreemfsCredentialsCommand.render(Map.of("note", "MooseFS has no certificates",
                "volumes", Map.of("data", Map.of("password", "pw", "mount", "mfsmount x -S /data -o mfspassword=pw"))));
        assertEquals("MooseFS has no certificates\ndata: mfsmount x -S /data -o mfspassword=pw\n", out);
    }
}
