package org.conpaas.itests;

import static org.conpaas.itests.DirectorTestSupport.karafBase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The distribution's bin/client (an ssh client), as an attacker or a script would use it: one command in batch mode
 * (-b, the command on standard input; Karaf 4.4.10's client answers a command given as an argument with exit 1 and
 * no output here), with a password.
 */
final class BinClient {

    static final class Result {
        final int exit;
        final String output;

        Result(int exit, String output) {
            this.exit = exit;
            this.output = output;
        }
    }

    private BinClient() {
    }

    /** Inside the container: the client of this very Karaf. */
    static Result run(String user, String password, String command) throws Exception {
        return run(karafBase(), Integer.parseInt(System.getProperty(DirectorTestSupport.SSH_PORT_PROPERTY)), user,
                password, command);
    }

    /** The client of the Karaf unpacked in {@code karafHome}, whose ssh server listens on {@code sshPort}. */
    static Result run(Path karafHome, int sshPort, String user, String password, String command) throws Exception {
        Path out = Files.createTempFile("bin-client", ".out");
        Path in = Files.createTempFile("bin-client", ".in");
        try {
            Files.writeString(in, command + "\n");
            ProcessBuilder builder = new ProcessBuilder(karafHome.resolve("bin/client").toString(),
                    "-a", Integer.toString(sshPort), "-h", "127.0.0.1",
                    "-u", user, "-p", password, "-r", "3", "-d", "1", "-b")
                    .directory(karafHome.toFile()).redirectErrorStream(true)
                    .redirectInput(in.toFile())
                    .redirectOutput(out.toFile());
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            Process process = builder.start();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("bin/client " + command + " did not finish in 90 s: " + Files.readString(out));
            }
            return new Result(process.exitValue(), Files.readString(out));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(in);
        }
    }
}
