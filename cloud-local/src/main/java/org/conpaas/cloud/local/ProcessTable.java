package org.conpaas.cloud.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Linux says about processes, read from /proc. The start time (clock ticks since boot) is recorded with each
 * pid so that a pid reused by an unrelated process is never taken for a node, nor signalled.
 */
final class ProcessTable {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessTable.class);
    private static final Path PROC = Path.of("/proc");

    /** The fields of /proc/&lt;pid&gt;/stat this driver needs. */
    record ProcessStat(long pid, char state, long pgid, long startTicks) {
        /** Zombies (Z) and dead (X) entries are gone for our purposes, only not yet reaped. */
        boolean alive() {
            return state != 'Z' && state != 'X' && state != 'x';
        }
    }

    private ProcessTable() {
    }

    static Optional<ProcessStat> stat(long pid) {
        String text;
        try {
            text = new String(Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("stat")),
                    StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return Optional.empty();
        }
        // The command name (field 2) is in parentheses and may itself contain spaces and parentheses.
        int close = text.lastIndexOf(')');
        if (close < 0 || close + 2 > text.length()) {
            return Optional.empty();
        }
        String[] fields = text.substring(close + 2).trim().split(" ");
        if (fields.length < 20) {
            return Optional.empty();
        }
        // fields[0] is field 3 (state), fields[2] field 5 (pgrp), fields[19] field 22 (starttime).
        return Optional.of(new ProcessStat(pid, fields[0].charAt(0), Long.parseLong(fields[2]),
                Long.parseLong(fields[19])));
    }

    /** Whether this exact process (same pid and same start time) is still running. */
    static boolean isRunning(long pid, long startTicks) {
        return pid > 0 && stat(pid).filter(s -> s.alive() && s.startTicks() == startTicks).isPresent();
    }

    static long startTicks(long pid) {
        return stat(pid).map(ProcessStat::startTicks).orElse(-1L);
    }

    /** The live processes of a process group. */
    static List<ProcessStat> liveGroupMembers(long pgid) {
        List<ProcessStat> members = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, p -> isNumber(p.getFileName().toString()))) {
            for (Path entry : entries) {
                stat(Long.parseLong(entry.getFileName().toString()))
                        .filter(s -> s.pgid() == pgid && s.alive())
                        .ifPresent(members::add);
            }
        } catch (IOException e) {
            LOG.warn("cannot list /proc: {}", e.toString());
        }
        return members;
    }

    /** Every uid (real, effective, saved or file system) some live process on the host runs with. */
    static Set<Long> liveUids() {
        Set<Long> uids = new HashSet<>();
        for (long pid : pids()) {
            uids.addAll(uids(pid));
        }
        return uids;
    }

    /** The live processes that run with {@code uid} in any of their four uids. */
    static List<Long> processesOf(long uid) {
        List<Long> found = new ArrayList<>();
        for (long pid : pids()) {
            if (uids(pid).contains(uid) && stat(pid).filter(ProcessStat::alive).isPresent()) {
                found.add(pid);
            }
        }
        return found;
    }

    /** KILL to one process (a node account's straggler that left the node's process group). */
    static void kill(long pid) {
        if (pid <= 1 || pid == ProcessHandle.current().pid()) {
            return;
        }
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }

    private static Set<Long> uids(long pid) {
        try {
            for (String line : Files.readAllLines(PROC.resolve(Long.toString(pid)).resolve("status"),
                    StandardCharsets.ISO_8859_1)) {
                if (line.startsWith("Uid:")) {
                    Set<Long> uids = new HashSet<>();
                    for (String field : line.substring(4).trim().split("\\s+")) {
                        uids.add(Long.parseLong(field));
                    }
                    return uids;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // the process ended meanwhile
        }
        return Set.of();
    }

    private static List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        DirectoryStream.Filter<Path> numbers = p -> isNumber(p.getFileName().toString());
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, numbers)) {
            entries.forEach(e -> pids.add(Long.parseLong(e.getFileName().toString())));
        } catch (IOException e) {
            LOG.warn("cannot list /proc: {}", e.toString());
        }
        return pids;
    }

    /** Sends a signal to a whole process group; refuses groups that could be the director's or init's. */
    static void signalGroup(long pgid, String signal) {
        long ownGroup = stat(ProcessHandle.current().pid()).map(ProcessStat::pgid).orElse(-1L);
        if (pgid <= 1 || pgid == ownGroup) {
            LOG.error("refusing to send {} to process group {} (own group {})", signal, pgid, ownGroup);
            return;
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, "--", "-" + pgid)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!kill.waitFor(5, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
            }
        } catch (IOException e) {
            LOG.warn("cannot run kill -{} -- -{}: {}", signal, pgid, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean isNumber(String name) {
        return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
    }
}
