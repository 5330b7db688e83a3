package org.conpaas.agent.core.volumes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds and kills the processes that keep a mounted file system busy: their working directory, root, executable,
 * an open file or a mapped file lies below the mount point. Scanning /proc ourselves (rather than fuser -k) lets the
 * agent spare its own process, which must survive to answer the director.
 */
final class ProcessHolders {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessHolders.class);
    private static final Path PROC = Path.of("/proc");

    private ProcessHolders() {
    }

    /** The pids (other than this process) using something below {@code mountPoint}. */
    static List<Long> of(Path mountPoint) {
        String prefix = mountPoint.toString() + "/";
        String self = Long.toString(ProcessHandle.current().pid());
        List<Long> holders = new ArrayList<>();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(PROC, p -> isPid(p) && !isNamed(p, self))) {
            for (Path process : processes) {
                if (uses(process, mountPoint.toString(), prefix)) {
                    holders.add(Long.parseLong(process.getFileName().toString()));
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot list the processes in /proc: {}", e.getMessage());
        }
        return holders;
    }

    /** KILLs every holder and waits (at most {@code maxWaitMillis}) until they are gone; returns how many. */
    static int kill(Path mountPoint, long maxWaitMillis) {
        List<ProcessHandle> killed = new ArrayList<>();
        for (long pid : of(mountPoint)) {
            ProcessHandle.of(pid).ifPresent(p -> {
                LOG.info("killing process {} ({}) that still uses {}", pid, p.info().command().orElse("?"),
                        mountPoint);
                if (p.destroyForcibly()) {
                    killed.add(p);
                }
            });
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxWaitMillis);
        for (ProcessHandle p : killed) {
            // A killed process releases its files when it exits, even if nobody reaps it (zombie).
            while (isRunning(p.pid()) && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return killed.size();
                }
            }
        }
        return killed.size();
    }

    private static boolean isRunning(long pid) {
        try {
            String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.UTF_8);
            // the state follows the command name in parentheses, which may itself contain ") "
            String state = stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
            return !"Z".equals(state) && !"X".equals(state);
        } catch (IOException | StringIndexOutOfBoundsException e) {
            return false;
        }
    }

    private static boolean uses(Path process, String mountPoint, String prefix) {
        for (String link : new String[] {"cwd", "root", "exe"}) {
            if (isBelow(readLink(process.resolve(link)), mountPoint, prefix)) {
                return true;
            }
        }
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(process.resolve("fd"))) {
            for (Path fd : fds) {
                if (isBelow(readLink(fd), mountPoint, prefix)) {
                    return true;
                }
            }
        } catch (IOException e) {
            // the process ended, or belongs to another user we could not kill anyway
        }
        try {
            for (String line : Files.readAllLines(process.resolve("maps"), StandardCharsets.UTF_8)) {
                int slash = line.indexOf('/');
                if (slash >= 0 && isBelow(line.substring(slash), mountPoint, prefix)) {
                    return true;
                }
            }
        } catch (IOException e) {
            // as above
        }
        return false;
    }

    private static boolean isBelow(String path, String mountPoint, String prefix) {
        return path != null && (path.equals(mountPoint) || path.startsWith(prefix));
    }

    private static String readLink(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    private static boolean isPid(Path p) {
        return p.getFileName().toString().chars().allMatch(Character::isDigit);
    }

    private static boolean isNamed(Path p, String name) {
        return p.getFileName().toString().equals(name);
    }
}
