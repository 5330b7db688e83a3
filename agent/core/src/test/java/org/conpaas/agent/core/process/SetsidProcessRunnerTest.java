package org.conpaas.agent.core.process;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.conpaas.api.agent.ProcessRunner;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class SetsidProcessRunnerTest {

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private final SetsidProcessRunner runner = new SetsidProcessRunner();

    @After
    public void stopEverything() {
        runner.stopAll(Duration.ofMillis(200));
    }

    @Test
    public void runCapturesOutputExitCodeAndEnvironment() throws Exception {
        ProcessRunner.ProcessResult result = runner.run(List.of("sh", "-c", "echo \"$GREETING\"; pwd; echo oops >&2; exit 3"),
                temp.getRoot().toPath(), Map.of("GREETING", "hello agent"), Duration.ofSeconds(5));
        assertEquals(3, result.exitCode());
        assertFalse(result.timedOut());
        assertEquals("hello agent\n" + temp.getRoot().getCanonicalPath() + "\noops\n", result.output());
    }

    @Test
    public void runTimeoutKillsTheWholeProcessGroup() throws Exception {
        Path childPid = temp.getRoot().toPath().resolve("child.pid");
        long started = System.nanoTime();
        ProcessRunner.ProcessResult result = runner.run(
                List.of("sh", "-c", "sleep 30 & echo $! > " + childPid + "; wait"),
                null, Map.of(), Duration.ofMillis(700));
        assertTrue(result.timedOut());
        assertTrue("run must return soon after its timeout", System.nanoTime() - started < 5_000_000_000L);
        long child = Long.parseLong(Files.readString(childPid).trim());
        assertGone(child);
    }

    @Test
    public void startRunsInItsOwnGroupAndStopEndsTheGroup() throws Exception {
        Path log = temp.getRoot().toPath().resolve("logs/svc.log");
        Path childPid = temp.getRoot().toPath().resolve("child.pid");
        // the shell ignores TERM, so only the KILL after the grace period can end it
        ProcessRunner.ManagedProcess process = runner.start("svc", List.of("sh", "-c",
                "trap '' TERM; echo started; sleep 30 & echo $! > " + childPid + "; wait; wait"),
                null, Map.of(), log);
        waitFor(() -> Files.exists(childPid) && Files.size(childPid) > 0);
        assertEquals(process.pid(), processGroupOf(process.pid()));
        long child = Long.parseLong(Files.readString(childPid).trim());
        assertEquals(process.pid(), processGroupOf(child));
        assertTrue(runner.find("svc").isPresent());

        runner.stop("svc", Duration.ofMillis(300));
        assertGone(process.pid());
        assertGone(child);
        assertFalse(runner.find("svc").isPresent());
        assertEquals("started\n", Files.readString(log));
    }

    @Test(expected = IllegalStateException.class)
    public void aNameRunsOnlyOnce() {
        Path log = temp.getRoot().toPath().resolve("x.log");
        runner.start("dup", List.of("sleep", "30"), null, Map.of(), log);
        runner.start("dup", List.of("sleep", "30"), null, Map.of(), log);
    }

    private static long processGroupOf(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[2]); // state, ppid, pgrp
    }

    private static void assertGone(long pid) throws Exception {
        waitFor(() -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true) || isZombie(pid));
    }

    private static boolean isZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (Exception e) {
            return true;
        }
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static void waitFor(Check check) throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!check.ok()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 5 s");
            }
            Thread.sleep(20);
        }
    }
}
