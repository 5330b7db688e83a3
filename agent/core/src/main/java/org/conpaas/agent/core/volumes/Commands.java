package org.conpaas.agent.core.volumes;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Runs the system tools volumes need (blkid, mkfs.ext4, mount, umount...), each bounded in time. */
final class Commands {

    record Result(int exitCode, String stdout, String stderr) {
        boolean ok() {
            return exitCode == 0;
        }

        /** The tool's own complaint, on one line, for an error sentence. */
        String error() {
            String text = (stderr.isBlank() ? stdout : stderr).strip().replaceAll("\\s*\\n\\s*", "; ");
            return text.isEmpty() ? "exit status " + exitCode : text;
        }
    }

    private Commands() {
    }

    static Result run(Duration timeout, String... command) throws VolumeException {
        List<String> line = new ArrayList<>(List.of(command));
        line.set(0, locate(command[0]).orElseThrow(() -> VolumeException.failed(command[0]
                + " is not installed (or not on the PATH, /usr/sbin or /sbin)")).toString());
        ProcessBuilder builder = new ProcessBuilder(line)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw VolumeException.failed("cannot run " + command[0] + " (" + e.getMessage() + ")");
        }
        // Both streams are read while the tool runs, so a chatty tool never blocks on a full pipe.
        StreamReader out = new StreamReader(process.getInputStream(), command[0] + "-stdout");
        StreamReader err = new StreamReader(process.getErrorStream(), command[0] + "-stderr");
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw VolumeException.failed(command[0] + " did not finish within " + timeout.toSeconds() + " s");
            }
            return new Result(process.exitValue(), out.text(), err.text());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw VolumeException.failed("interrupted while running " + command[0]);
        }
    }

    /**
     * Finds a tool on the PATH or in the sbin folders, which a non-root user's PATH often lacks although mkfs,
     * blkid and losetup live there.
     */
    static Optional<Path> locate(String tool) {
        String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String dir : (path + ":/usr/local/sbin:/usr/sbin:/sbin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return Optional.of(Path.of(dir, tool));
            }
        }
        return Optional.empty();
    }

    /** Collects one output stream of a child process on its own thread. */
    private static final class StreamReader extends Thread {
        private final InputStream in;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        StreamReader(InputStream in, String name) {
            super(name);
            this.in = in;
            setDaemon(true);
            start();
        }

        @Override
        public void run() {
            try (in) {
                in.transferTo(bytes);
            } catch (IOException e) {
                // the tool was killed (timeout); what was read is enough for the error sentence
            }
        }

        String text() throws InterruptedException {
            join(TimeUnit.SECONDS.toMillis(5));
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
