package org.conpaas.agent.core.http;

import static org.junit.Assert.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class LogTailTest {

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    @Test
    public void findsTheLastLinesAcrossChunks() throws Exception {
        Path log = temp.newFile("big.log").toPath();
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= 5000; i++) {
            text.append("line ").append(i).append('\n');
        }
        Files.writeString(log, text);
        assertEquals("line 4998\nline 4999\nline 5000\n", tail(log, 3));
        assertEquals(text.toString(), tail(log, 10_000));
        assertEquals("", tail(log, 0).isEmpty() ? "" : "not empty");
    }

    @Test
    public void lastLineWithoutNewlineCounts() throws Exception {
        Path log = temp.newFile("x.log").toPath();
        Files.writeString(log, "a\nb\nc");
        assertEquals("b\nc", tail(log, 2));
    }

    private static String tail(Path file, int lines) throws Exception {
        long start = LogTail.startOfLastLines(file, lines);
        byte[] all = Files.readAllBytes(file);
        return new String(all, (int) start, all.length - (int) start);
    }
}
