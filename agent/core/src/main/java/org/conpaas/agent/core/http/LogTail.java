package org.conpaas.agent.core.http;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;

/** Finds where the last N lines of a file start, reading backwards so big logs are not loaded whole. */
final class LogTail {

    private LogTail() {
    }

    /** The byte offset where the last {@code lines} lines begin (0 when the file has fewer lines). */
    static long startOfLastLines(Path file, int lines) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long end = raf.length();
            if (lines <= 0 || end == 0) {
                return end;
            }
            // a final newline ends the last line; it does not start another one
            long position = end;
            raf.seek(end - 1);
            if (raf.read() == '\n') {
                position--;
            }
            byte[] chunk = new byte[8192];
            int newlines = 0;
            while (position > 0) {
                int size = (int) Math.min(chunk.length, position);
                position -= size;
                raf.seek(position);
                raf.readFully(chunk, 0, size);
                for (int i = size - 1; i >= 0; i--) {
                    if (chunk[i] == '\n' && ++newlines == lines) {
                        return position + i + 1;
                    }
                }
            }
            return 0;
        }
    }
}
