package org.conpaas.service.mysql.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.conpaas.api.agent.NodeEnvironment;
import org.conpaas.api.agent.ProcessRunner.ProcessResult;

/**
 * The node's own mariadbd as root, through the node's private socket with the mariadb client. Statements go through
 * files of the node (mode 600), never through the command line, so no password shows up in a process list.
 */
final class SqlClient {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final NodeEnvironment environment;
    private final Path options;
    private final Path scratch;

    /**
     * @param options the client option file ({@code [client]} user, password, socket), mode 600
     * @param scratch a private folder for statement files
     */
    SqlClient(NodeEnvironment environment, Path options, Path scratch) {
        this.environment = environment;
        this.options = options;
        this.scratch = scratch;
    }

    /** Writes a client option file (mode 600): {@code user} with its password, through {@code socket} if not null. */
    static void writeOptions(Path file, String user, String password, Path socket) throws IOException {
        String text = "[client]\nuser=" + user + "\npassword=\"" + password.replace("\\", "\\\\")
                .replace("\"", "\\\"") + "\"\n" + (socket == null ? "" : "socket=" + socket + "\n");
        Path temp = file.resolveSibling(file.getFileName() + ".new");
        Files.deleteIfExists(temp);
        Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(temp, text, StandardCharsets.UTF_8);
        Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Runs statements; answers the rows (tab-separated, no headers) or throws with the client's message. */
    String execute(String sql) {
        return execute(sql, TIMEOUT);
    }

    /** The same within {@code timeout}. */
    String execute(String sql, Duration timeout) {
        Path file = statementFile(sql);
        try {
            return run(file, timeout);
        } finally {
            delete(file);
        }
    }

    /** Runs a file of statements (a user's dump) with a longer bound; the error names the failing line. */
    String executeFile(Path file, Duration timeout) {
        return run(file, timeout);
    }

    private String run(Path file, Duration timeout) {
        ProcessResult result = environment.processes().run(List.of("sh", "-c",
                "exec mariadb --defaults-extra-file=\"$1\" --batch --skip-column-names --connect-timeout=5 < \"$2\"",
                "sh", options.toString(), file.toString()), scratch, Map.of(), timeout);
        if (result.timedOut()) {
            throw new IllegalStateException("the statements did not finish within " + timeout.toSeconds() + " s");
        }
        if (result.exitCode() != 0) {
            throw new SqlException(result.output().trim());
        }
        return result.output();
    }

    /** One variable of SHOW GLOBAL STATUS / VARIABLES as name → value. */
    Map<String, String> status(String like) {
        return pairs(execute("SHOW GLOBAL STATUS LIKE '" + like + "'"));
    }

    static Map<String, String> pairs(String rows) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : rows.split("\n")) {
            String[] cells = line.split("\t", 2);
            if (cells.length == 2) {
                values.put(cells[0].trim(), cells[1].trim());
            }
        }
        return values;
    }

    /** Quotes a string as a SQL literal ('…' with backslashes and quotes escaped). */
    static String quote(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    Path statementFile(String sql) {
        try {
            Path file = Files.createTempFile(scratch, "sql-", ".sql",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, sql, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a statement file in " + scratch, e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a leftover in the node's private folder; the next start clears the folder
        }
    }

    /** The client reported an error (its message, e.g. "ERROR 1064 (42000) at line 3: …"). */
    static final class SqlException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        SqlException(String message) {
            super(message);
        }
    }
}
