package org.conpaas.agent.launcher;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.logging.FileHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Sends java.util.logging (and so SLF4J through slf4j-jdk14) to {@code logs/agent.log}: one line per record, so the
 * director's log tail stays readable.
 */
final class AgentLogSetup {

    private AgentLogSetup() {
    }

    static void toFile(Path logFile) throws IOException {
        Files.createDirectories(logFile.getParent());
        LogManager manager = LogManager.getLogManager();
        if (manager instanceof AgentLogManager) {
            ((AgentLogManager) manager).resetNow();
        } else {
            manager.reset();
        }
        Handler handler = new FileHandler(logFile.toString(), true);
        handler.setFormatter(new OneLineFormatter());
        handler.setLevel(Level.INFO);
        Logger root = Logger.getLogger("");
        root.setLevel(Level.INFO);
        root.addHandler(handler);
    }

    /** {@code 2024-01-01T10:00:00Z INFO logger: message}, followed by the stack trace if any. */
    static final class OneLineFormatter extends Formatter {
        @Override
        public String format(LogRecord record) {
            StringBuilder line = new StringBuilder(128)
                    .append(Instant.ofEpochMilli(record.getMillis())).append(' ')
                    .append(record.getLevel().getName()).append(' ')
                    .append(shortName(record.getLoggerName())).append(": ")
                    .append(formatMessage(record)).append('\n');
            if (record.getThrown() != null) {
                StringWriter trace = new StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(trace));
                line.append(trace);
            }
            return line.toString();
        }

        private static String shortName(String loggerName) {
            if (loggerName == null) {
                return "-";
            }
            int dot = loggerName.lastIndexOf('.');
            return dot < 0 ? loggerName : loggerName.substring(dot + 1);
        }
    }
}
