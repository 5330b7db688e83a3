package org.conpaas.itests;

import static org.conpaas.itests.DirectorTestSupport.agentProcess;
import static org.conpaas.itests.DirectorTestSupport.agentProcesses;
import static org.conpaas.itests.DirectorTestSupport.eventually;
import static org.conpaas.itests.DirectorTestSupport.karafBase;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.PrivilegedExceptionAction;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.inject.Inject;
import javax.security.auth.Subject;

import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.conpaas.api.State;
import org.conpaas.api.director.Director;
import org.conpaas.api.model.ApplicationInfo;
import org.conpaas.api.model.NodeInfo;
import org.conpaas.api.model.NodeStatus;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TestWatcher;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.util.Filter;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The helloworld life cycle through the Karaf shell commands (scope cps), run as the local administrator "admin"
 * like an ssh or bin/client session. What the commands print is checked, and so is what the director then holds
 * (through its Director service) and which agent processes run.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HelloworldShellIT {

    private static final Pattern HELLO_LINE = Pattern.compile("Received helloworld from (node-\\d+)");
    private static final String USER = "admin";

    @Inject
    private SessionFactory sessionFactory;

    /** The first boot of a loaded machine may take longer than Pax Exam's default 10 s to offer the director. */
    @Inject
    @Filter(timeout = 120_000)
    private Director director;

    @Before
    public void awaitDirectorReady() throws Exception {
        DirectorTestSupport.awaitReady(director);
    }

    @Rule
    public TestWatcher keepLog = DirectorTestSupport.keepLogOnFailure();

    @Configuration
    public Option[] config() {
        return DirectorTestSupport.distribution("shell");
    }

    @Test
    public void helloworldLifecycleThroughTheShell() throws Exception {
        // Karaf registers the cps commands once their services are there, a moment after the Director appears.
        eventually("cps:version answers", Duration.ofSeconds(30), () -> shell("cps:version").contains("conpaas"));
        eventually("helloworld type listed", Duration.ofSeconds(30),
                () -> shell("cps:service-types --no-format").contains("helloworld"));

        String created = shell("cps:application-create hello-shell");
        ApplicationInfo app = director.application(USER, "hello-shell");
        assertTrue("application-create prints the id: " + created, created.contains(Long.toString(app.id())));
        assertEquals(State.INIT, app.state());
        long appId = app.id();
        try {
            shell("cps:application-start hello-shell");
            eventually("application RUNNING", Duration.ofSeconds(90),
                    () -> director.application(USER, "hello-shell").state() == State.RUNNING);
            assertTrue(shell("cps:application-list --no-format").contains("hello-shell"));

            shell("cps:service-add hello-shell helloworld hw");
            assertEquals(State.INIT, director.service(USER, "hello-shell", "hw").state());

            shell("cps:service-start hello-shell hw");                 // waits by default
            assertEquals(State.RUNNING, director.service(USER, "hello-shell", "hw").state());

            shell("cps:node-add hello-shell hw node=2");
            assertEquals(State.RUNNING, director.service(USER, "hello-shell", "hw").state());

            String listed = shell("cps:node-list --no-format hello-shell hw");
            List<NodeInfo> nodes = director.nodes(USER, "hello-shell", "hw");
            assertEquals(3, nodes.size());
            Set<String> addresses = new HashSet<>();
            Set<Long> pids = new HashSet<>();
            for (NodeInfo n : nodes) {
                assertEquals(n.toString(), NodeStatus.RUNNING, n.status());
                assertTrue("node-list shows " + n.id() + ":\n" + listed, listed.contains(n.id()));
                assertTrue("node-list shows " + n.address() + ":\n" + listed, listed.contains(n.address()));
                addresses.add(n.address());
                pids.add(agentProcess(n.id(), appId, n.address(), karafBase())
                        .orElseThrow(() -> new AssertionError("no agent process for " + n)).pid());
            }
            assertEquals("distinct addresses", 3, addresses.size());
            assertEquals("distinct agent processes", 3, pids.size());

            Set<String> nodeIds = nodes.stream().map(NodeInfo::id).collect(Collectors.toSet());
            assertEquals(nodeIds, helloNodes(shell("cps:operation-call hello-shell hw get_helloworld")));
            // the same through the command the helloworld bundle contributes
            assertEquals(nodeIds, helloNodes(shell("cps:helloworld-get hello-shell hw")));

            shell("cps:node-remove hello-shell hw node=1");
            List<NodeInfo> two = director.nodes(USER, "hello-shell", "hw");
            assertEquals(2, two.size());
            assertEquals(two.stream().map(NodeInfo::id).collect(Collectors.toSet()),
                    helloNodes(shell("cps:operation-call hello-shell hw get_helloworld")));
            eventually("two agent processes left", Duration.ofSeconds(30), () -> agentProcesses(appId).size() == 2);

            // a refused command says why and changes nothing
            String refused = shellError("cps:node-add hello-shell hw node=-1");
            assertTrue("error names the count: " + refused, refused.contains("-1"));
            assertEquals(2, director.nodes(USER, "hello-shell", "hw").size());

            shell("cps:service-stop hello-shell hw");
            assertEquals(State.STOPPED, director.service(USER, "hello-shell", "hw").state());
            eventually("no agent process left", Duration.ofSeconds(30), () -> agentProcesses(appId).isEmpty());

            shell("cps:application-delete hello-shell");
            assertTrue(!shell("cps:application-list --no-format").contains("hello-shell"));
        } finally {
            DirectorTestSupport.killAll(agentProcesses(appId).stream().map(ProcessHandle::pid)
                    .collect(Collectors.toList()));
        }
    }

    /** Runs one command as the administrator; fails the test if the command throws. Returns what it printed. */
    private String shell(String command) throws Exception {
        Result r = execute(command);
        if (r.error != null) {
            throw new AssertionError("'" + command + "' failed: " + r.error + "\n" + r.output, r.error);
        }
        return r.output;
    }

    /** Runs a command that must be refused; returns its error message (and output). */
    private String shellError(String command) throws Exception {
        Result r = execute(command);
        assertTrue("'" + command + "' should fail, printed: " + r.output, r.error != null);
        return r.error.getMessage() + "\n" + r.output;
    }

    private Result execute(String command) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Session session = sessionFactory.create(new ByteArrayInputStream(new byte[0]), out, out);
        session.put("USER", USER);
        session.put("APPLICATION", System.getProperty("karaf.name", "root"));
        Subject subject = new Subject();
        subject.getPrincipals().add(new UserPrincipal(USER));
        for (String role : List.of("admin", "manager", "viewer", "systembundles", "ssh")) {
            subject.getPrincipals().add(new RolePrincipal(role));
        }
        Throwable error = null;
        try {
            Object result = Subject.doAs(subject, (PrivilegedExceptionAction<Object>) () -> session.execute(command));
            if (result != null) {
                out.println(result);   // commands that return a value instead of printing it
            }
        } catch (java.security.PrivilegedActionException e) {
            error = e.getException();
        } catch (Exception e) {
            error = e;
        } finally {
            out.flush();
            session.close();
        }
        return new Result(bytes.toString(StandardCharsets.UTF_8), error);
    }

    private static final class Result {
        final String output;
        final Throwable error;

        Result(String output, Throwable error) {
            this.output = output;
            this.error = error;
        }
    }

    private static Set<String> helloNodes(String output) {
        Set<String> ids = new HashSet<>();
        int lines = 0;
        for (String line : output.split("\n")) {
            Matcher m = HELLO_LINE.matcher(line.trim());
            if (m.find()) {
                ids.add(m.group(1));
                lines++;
            }
        }
        assertEquals("one line per node in:\n" + output, lines, ids.size());
        return ids;
    }
}
