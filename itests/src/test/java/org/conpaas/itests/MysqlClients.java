package org.conpaas.itests;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Clients of the MySQL service's ITs: MariaDB Connector/J as a user's application uses it. */
final class MysqlClients {

    private MysqlClients() {
    }

    static Connection connect(String host, int port, String user, String password) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        properties.setProperty("connectTimeout", "3000");
        properties.setProperty("socketTimeout", "30000");
        // the driver itself, not DriverManager: inside OSGi the driver's bundle is not on the probe's class path
        Connection connection = new org.mariadb.jdbc.Driver().connect("jdbc:mariadb://" + host + ":" + port + "/",
                properties);
        if (connection == null) {
            throw new SQLException("the driver refused the URL");
        }
        return connection;
    }

    static void execute(Connection connection, String... statements) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    static List<String> column(Connection connection, String query) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(query)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    /**
     * Inserts rows with increasing ids through {@code host}, one connection per row, until closed. A connection that
     * cannot be opened is retried (counted in {@link #retries}); a failure after the row was sent is settled by
     * reading it back on a fresh connection (committed or not), never by blindly inserting again; any other failure
     * is recorded in {@link #failures}. {@link #committed} holds the ids known to be committed.
     */
    static final class Writer implements AutoCloseable {
        final Set<Integer> committed = ConcurrentHashMap.newKeySet();
        final List<String> failures = new CopyOnWriteArrayList<>();
        volatile int retries;
        private final String host;
        private final int port;
        private final String password;
        private final String table;
        private final Thread thread;
        private volatile boolean stop;

        Writer(String host, int port, String password, String table) {
            this.host = host;
            this.port = port;
            this.password = password;
            this.table = table;
            this.thread = new Thread(this::loop, "mysql-writer");
            thread.setDaemon(true);
            thread.start();
        }

        private void loop() {
            int id = 0;
            while (!stop && id < 100_000) {
                id++;
                if (!insert(id)) {
                    return;
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        /** False when the writer gives up (after recording why). */
        private boolean insert(int id) {
            for (int attempt = 0; attempt < 200 && !stop; attempt++) {
                Connection connection;
                try {
                    connection = connect(host, port, "mysqldb", password);
                } catch (SQLException e) {
                    retries++;
                    pause();
                    continue;
                }
                try (connection; PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table
                        + " (id, note) VALUES (?, 'row')")) {
                    insert.setInt(1, id);
                    insert.executeUpdate();
                    committed.add(id);
                    return true;
                } catch (SQLException e) {
                    Boolean there = present(id);
                    if (Boolean.TRUE.equals(there)) {
                        committed.add(id);
                        return true;
                    }
                    failures.add("row " + id + ": " + e.getMessage());
                    if (there == null) {
                        pause();
                    }
                }
            }
            failures.add("row " + id + ": gave up");
            return false;
        }

        private Boolean present(int id) {
            for (int attempt = 0; attempt < 50; attempt++) {
                try (Connection c = connect(host, port, "mysqldb", password)) {
                    return !column(c, "SELECT id FROM " + table + " WHERE id = " + id).isEmpty();
                } catch (SQLException e) {
                    pause();
                }
            }
            return null;
        }

        private static void pause() {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        int count() {
            return committed.size();
        }

        void awaitMore(int rows, long timeoutMillis) throws InterruptedException {
            int target = count() + rows;
            long deadline = System.currentTimeMillis() + timeoutMillis;
            while (count() < target && System.currentTimeMillis() < deadline && thread.isAlive()) {
                Thread.sleep(20);
            }
            if (count() < target) {
                throw new AssertionError("the writer did not commit " + rows + " more rows: " + failures);
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop = true;
            thread.join(60_000);
        }
    }
}
