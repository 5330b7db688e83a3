package org.conpaas.core.internal.director;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import org.conpaas.api.service.ServiceLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The manager log of one service: a plain text file under the director's data folder. */
final class ServiceLogFile implements ServiceLog {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceLogFile.class);

    private final Path file;

    ServiceLogFile(Path file) {
        this.file = file;
    }

    @Override
    public void info(String message) {
        append("INFO", message);
    }

    @Override
    public void warn(String message) {
        append("WARN", message);
    }

    @Override
    public void error(String message, Throwable cause) {
        if (cause == null) {
            append("ERROR", message);
            return;
        }
        StringWriter trace = new StringWriter();
        cause.printStackTrace(new PrintWriter(trace));
        append("ERROR", message + System.lineSeparator() + trace);
    }

    /** The log, or its last {@code tail} lines when tail > 0. */
    String read(int tail) {
        if (!Files.exists(file)) {
            return "";
        }
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            List<String> kept = tail > 0 && lines.size() > tail ? lines.subList(lines.size() - tail, lines.size()) : lines;
            return kept.isEmpty() ? "" : String.join("\n", kept) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the manager log " + file, e);
        }
    }

    private synchronized void append(String level, String message) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, Instant.now() + " " + level + " " + message + System.lineSeparator(),
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            LOG.warn("cannot write the manager log {}: {}", file, e.getMessage());
        }
    }
}
