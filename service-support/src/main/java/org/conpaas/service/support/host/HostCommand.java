package org.conpaas.service.support.host;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a host tool (mount, losetup, lxc-*, ip) with a bound on its time, reading its output. */
public final class HostCommand {

    /** What a tool did: its exit status (-1 when it ran too long and was killed) and its output, both streams. */
    public record Result(int status, String output) {

        public boolean ok() {
            return status == 0;
        }

        /** The output in one line, or a sentence naming the status when the tool said nothing. */
        public String error(String tool) {
            String text = output.strip().replaceAll("\\s*\\n\\s*", "; ");
            return text.isEmpty() ? tool + " exited with status " + status : text;
        }
    }

    private HostCommand() {
    }

    /** Runs {@code command} (its first word looked up with {@link #locate}), standard input empty. */
    public static Result run(long timeoutSeconds, String... command) throws IOException {
        List<String> line = new ArrayList<>(List.of(command));
        line.set(0, locate(command[0]));
        Process process = new ProcessBuilder(line).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try (InputStream in = process.getInputStream()) {
                in.transferTo(output);
            } catch (IOException e) {
                // the process went away; what was read is enough
            }
        }, "host-command-" + command[0]);
        reader.setDaemon(true);
        reader.start();
        try {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, command[0] + " did not finish within " + timeoutSeconds + " s");
            }
            reader.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command[0], e);
        }
        synchronized (output) {
            return new Result(process.exitValue(), output.toString(StandardCharsets.UTF_8));
        }
    }

    /** umount, losetup, ip and lxc-* live in /usr/sbin or /usr/bin, which a director's PATH may lack. */
    public static String locate(String tool) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : (path + ":/usr/sbin:/sbin:/usr/bin:/bin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return Path.of(dir, tool).toString();
            }
        }
        return tool;
    }
}
