package org.conpaas.itests;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;

import javax.security.auth.Subject;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.LoginContext;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.apache.karaf.jaas.boot.ProxyLoginModule;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.apache.karaf.shell.support.ShellUtil;

/**
 * Shell sessions inside the container, logged in through the real {@code conpaas} JAAS realm (the roles its login
 * module gives): the same secured Karaf session ssh and bin/client get, without a JVM per command, so a matrix of
 * hundreds of lines stays fast. What a line printed on failure is rendered by Karaf's own {@link ShellUtil}, as the
 * console does.
 */
final class ShellSessions {

    private final SessionFactory factory;

    ShellSessions(SessionFactory factory) {
        this.factory = factory;
    }

    /** Logs in to the conpaas realm as ssh does; the subject carries the user's Karaf roles. */
    static Subject login(String user, String password) throws Exception {
        Subject subject = new Subject();
        LoginContext login = new LoginContext("conpaas", subject, callbacks -> {
            for (javax.security.auth.callback.Callback callback : callbacks) {
                if (callback instanceof NameCallback name) {
                    name.setName(user);
                } else if (callback instanceof PasswordCallback secret) {
                    secret.setPassword(password.toCharArray());
                } else {
                    throw new UnsupportedCallbackException(callback);
                }
            }
        });
        // JAAS loads the realm's proxy module through the context class loader: Karaf's, as in its ssh server
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(ProxyLoginModule.class.getClassLoader());
        try {
            login.login();
        } finally {
            thread.setContextClassLoader(previous);
        }
        return subject;
    }

    /**
     * One session of this subject, started as ssh starts one: the init scripts of {@code karaf.shell.init.script}
     * (the aliases) run first, as the subject, and must run cleanly. Lines then run one after another (variables and
     * subshells carry over).
     */
    Shell open(Subject subject, String user) throws Exception {
        Shell shell = new Shell(subject, user);
        for (String name : System.getProperty("karaf.shell.init.script", "").split(",")) {
            Path script = Paths.get(System.getProperty("karaf.etc")).resolve(name.strip());
            Line init = shell.run(Files.readString(script));
            if (init.error != null) {
                shell.close();
                throw new AssertionError("the init script " + script + " failed for " + user + ": " + init, init.error);
            }
        }
        return shell;
    }

    final class Shell implements AutoCloseable {
        private final Subject subject;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        private final Session session;

        private Shell(Subject subject, String user) {
            this.subject = subject;
            this.session = factory.create(new ByteArrayInputStream(new byte[0]), out, out);
            session.put("USER", user);
        }

        /** Runs a line in the subject; returns its result, or what the console prints for its failure. */
        Line run(String line) throws Exception {
            bytes.reset();
            try {
                Object result = Subject.doAs(subject, (PrivilegedExceptionAction<Object>) () -> session.execute(line));
                return new Line(line, result, null, printed());
            } catch (PrivilegedActionException e) {
                return failed(line, e.getException());
            } catch (RuntimeException e) {
                return failed(line, e);    // doAs passes unchecked exceptions as they are
            }
        }

        private Line failed(String line, Exception e) {
            ShellUtil.logException(session, e);
            return new Line(line, null, e, printed());
        }

        /** How the console shows a result to this subject (Gogo's INSPECT level, as an interactive console). */
        String show(Object result) throws Exception {
            return Subject.doAs(subject, (PrivilegedExceptionAction<String>) () ->
                    ((CommandSession) session.get(".commandSession")).format(result, Converter.INSPECT).toString());
        }

        private String printed() {
            out.flush();
            return withoutAnsi(bytes.toString(StandardCharsets.UTF_8)).strip();
        }

        @Override
        public void close() {
            session.close();
        }
    }

    static String withoutAnsi(String text) {
        return text.replaceAll("\u001B\\[[;?0-9]*[A-Za-z]", "");
    }

    static final class Line {
        final String line;
        final Object result;
        final Throwable error;
        final String printed;

        Line(String line, Object result, Throwable error, String printed) {
            this.line = line;
            this.result = result;
            this.error = error;
            this.printed = printed;
        }

        @Override
        public String toString() {
            return "'" + line + "' -> " + (error == null ? "ran: " + printed : error + " printed: " + printed);
        }
    }
}
