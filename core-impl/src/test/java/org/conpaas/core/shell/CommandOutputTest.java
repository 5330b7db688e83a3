package org.conpaas.core.shell;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.apache.karaf.shell.api.console.CommandLine;
import org.conpaas.core.internal.security.MapAccounts;
import org.conpaas.core.rest.FakeDirector;
import org.junit.Before;
import org.apache.karaf.shell.support.CommandException;
import org.junit.Test;

public class CommandOutputTest {

    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
    private FakeDirector director;

    @Before
    public void setUp() {
        director = new FakeDirector();
        director.createApplication("alice", "shop");
        director.addService("alice", "shop", "helloworld", null);
    }

    private <T extends CpsAction> T wire(T command) {
        command.director = director;
        command.accounts = new MapAccounts().add("alice", "a-secret");
        command.outStream = out;
        command.errStream = err;
        command.loggedIn = () -> "alice";
        return command;
    }

    private String out() {
        return outBytes.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    public void serviceStartWaitsPrintingEachStateChange() throws Exception {
        ServiceStartCommand start = wire(new ServiceStartCommand());
        start.app = "shop";
        start.svc = "New helloworld service";
        long began = System.nanoTime();
        assertNull(start.execute());
        assertEquals("service 1 'New helloworld service': PROLOGUE ... RUNNING" + System.lineSeparator(), out());
        assertEquals("", err());
        assertTrue("polls every 200 ms", System.nanoTime() - began >= 2 * 200_000_000L);
    }

    @Test
    public void noWaitReturnsAtOnceAndTimeoutSaysTheOperationGoesOn() throws Exception {
        director.pollsUntilSettled = 1_000;
        ServiceStartCommand start = wire(new ServiceStartCommand());
        start.app = "1";
        start.svc = "1";
        start.timeoutSeconds = 0;
        start.execute();
        assertEquals("service 1 'New helloworld service': PROLOGUE" + System.lineSeparator(), out());
        assertTrue(err(), err().startsWith("Still PROLOGUE after 0 s"));
    }

    @Test
    public void nodeRemoveTakesNodeIdsOrCountsNotBoth() throws Exception {
        ServiceStartCommand start = wire(new ServiceStartCommand());
        start.app = "shop";
        start.svc = "1";
        start.execute();
        NodeRemoveCommand mixed = wire(new NodeRemoveCommand());
        mixed.app = "shop";
        mixed.svc = "1";
        mixed.nodes = List.of("n1", "backend=1");
        assertEquals("Give either role=count arguments or node ids, not both.",
                assertThrows(CommandException.class, mixed::execute).getNiceHelp());
        NodeRemoveCommand byId = wire(new NodeRemoveCommand());
        byId.app = "shop";
        byId.svc = "1";
        byId.nodes = List.of("n1");
        byId.timeoutSeconds = 0;
        byId.execute();
        assertTrue(out(), out().endsWith("service 1 'New helloworld service': ADAPTING" + System.lineSeparator()));
        assertEquals("the named node is gone", List.of(), director.nodes("alice", "shop", "1"));
    }

    @Test
    public void domainErrorsFailTheCommandWithOneSentence() throws Exception {
        ApplicationStartCommand start = wire(new ApplicationStartCommand());
        start.app = "shop";
        start.execute();
        assertEquals("application 1 'shop': RUNNING" + System.lineSeparator(), out());
        CommandException refused = assertThrows(CommandException.class, start::execute);
        assertEquals("Cannot start the application in state RUNNING; allowed in [INIT, STOPPED].",
                refused.getNiceHelp());
    }

    @Test
    public void serviceListPrintsATableOrBareRows() throws Exception {
        ServiceListCommand list = wire(new ServiceListCommand());
        list.app = "shop";
        list.execute();
        String[] lines = out().split("\\R");
        assertTrue(out(), lines[0].matches("Id\\s+\\S\\s+Name\\s+\\S\\s+Type.*Nodes\\s*"));
        assertTrue(out(), lines[2].matches("1\\s+\\S\\s+New helloworld service\\s+\\S\\s+helloworld\\s+\\S\\s+INIT.*"));
        outBytes.reset();
        list.noFormat = true;
        list.execute();
        // Karaf's ShellTable keeps cells padded to the header width without format; the tabs separate the fields
        String[] rows = out().split("\\R");
        assertEquals(1, rows.length);
        assertEquals(List.of("1", "New helloworld service", "helloworld", "INIT", "local", "-"),
                Stream.of(rows[0].split("\t")).map(String::strip).toList());
    }

    @Test
    public void serviceSetSwitchesReplacementOfFailedNodesAndServiceStateShowsIt() throws Exception {
        ServiceSetCommand set = wire(new ServiceSetCommand());
        set.app = "shop";
        set.svc = "1";
        set.replaceFailedNodes = "off";
        set.execute();
        assertEquals("service 1 'New helloworld service': failed nodes are not replaced" + System.lineSeparator(),
                out());
        assertFalse(director.service("alice", "shop", "1").replaceFailedNodes());
        outBytes.reset();

        ServiceStateCommand state = wire(new ServiceStateCommand());
        state.app = "shop";
        state.svc = "1";
        state.execute();
        assertTrue(out(), out().contains("  replace failed nodes: off" + System.lineSeparator()));

        set.replaceFailedNodes = "sometimes";
        CommandException refused = assertThrows(CommandException.class, set::execute);
        assertEquals("--replace-failed-nodes takes on or off, not 'sometimes'.", refused.getNiceHelp());
        set.replaceFailedNodes = "on";
        set.execute();
        assertTrue(director.service("alice", "shop", "1").replaceFailedNodes());
    }

    @Test
    public void serviceCompleterOffersTheServicesOfTheApplicationGivenEarlier() {
        ServiceCompleter completer = new ServiceCompleter();
        completer.director = director;
        completer.accounts = new MapAccounts().add("alice", "a-secret");
        completer.loggedIn = () -> "alice";
        List<String> candidates = new ArrayList<>();
        completer.complete(null, line("cps:service-start", "--cloud", "local", "shop", "New"), candidates);
        assertEquals(List.of("New helloworld service"), candidates.stream().map(String::strip).toList());
        candidates.clear();
        completer.complete(null, line("cps:service-start", "nope", ""), candidates);
        assertEquals(List.of(), candidates);
    }

    /** A command line with the cursor at the end of its last word. */
    private static CommandLine line(String... words) {
        return new CommandLine() {
            @Override
            public int getCursorArgumentIndex() {
                return words.length - 1;
            }

            @Override
            public String getCursorArgument() {
                return words[words.length - 1];
            }

            @Override
            public int getArgumentPosition() {
                return words[words.length - 1].length();
            }

            @Override
            public String[] getArguments() {
                return words;
            }

            @Override
            public int getBufferPosition() {
                return String.join(" ", words).length();
            }

            @Override
            public String getBuffer() {
                return String.join(" ", words);
            }
        };
    }

    @Test
    public void volumeCommandsSayWhatTheyDoAndListTheVolumes() throws Exception {
        VolumeListCommand list = wire(new VolumeListCommand());
        list.app = "shop";
        list.svc = "1";
        list.noFormat = true;
        list.execute();
        assertEquals("No existing storage volumes." + System.lineSeparator(), out());
        outBytes.reset();

        VolumeCreateCommand create = wire(new VolumeCreateCommand());
        create.app = "shop";
        create.svc = "1";
        create.name = "data";
        create.sizeMb = 64;
        create.node = "node-1";
        create.execute();
        assertTrue(out(), out().startsWith("Creating volume 'data' and attaching it to node 'node-1'..."));
        assertTrue(out(), out().endsWith("done." + System.lineSeparator()));
        outBytes.reset();

        list.execute();
        assertEquals(List.of("data", "64", "node-1", "local", "/media/data", "2026-01-02T03:04:05Z"),
                Stream.of(out().strip().split("\t")).map(String::strip).toList());
        outBytes.reset();

        VolumeDeleteCommand delete = wire(new VolumeDeleteCommand());
        delete.app = "shop";
        delete.svc = "1";
        delete.name = "data";
        delete.execute();
        assertTrue(out(), out().startsWith("Detaching volume 'data' and deleting it..."));
        assertTrue(out(), out().endsWith("done." + System.lineSeparator()));
        CommandException missing = assertThrows(CommandException.class, delete::execute);
        assertEquals("Volume data not found.", missing.getMessage());
    }
}
