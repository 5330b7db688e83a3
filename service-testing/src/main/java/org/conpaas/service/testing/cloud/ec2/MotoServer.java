package org.conpaas.service.testing.cloud.ec2;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * moto's server (the AWS API emulator) for the EC2 driver's tests, run from the vendored source tarball
 * ({@code shared/vendor/moto-*-src.tgz}, unpacked under the test's folder) with Debian's {@code /usr/bin/python3} on
 * 127.0.0.1 and a free port. It checks images, key pairs and instance types like EC2, and credentials: its first
 * three calls (unchecked) create the IAM user whose access key {@link #accessKeyId()}/{@link #secretAccessKey()}
 * every later call must be signed with, so a wrong key is refused as by AWS. Never reset it ({@code /moto-api/reset}
 * forgets that user). A missing tarball or python3 fails the test: it never skips.
 */
public final class MotoServer implements AutoCloseable {

    /** The system property naming the tarball; the build sets it (default: shared/vendor beside the checkout). */
    public static final String TARBALL_PROPERTY = "conpaas.moto.tarball";
    public static final String PYTHON = "/usr/bin/python3";

    private final Process process;
    private final URI endpoint;
    private final String accessKeyId;
    private final String secretAccessKey;

    private MotoServer(Process process, URI endpoint, String accessKeyId, String secretAccessKey) {
        this.process = process;
        this.endpoint = endpoint;
        this.accessKeyId = accessKeyId;
        this.secretAccessKey = secretAccessKey;
    }

    /** Unpacks moto into {@code workDir/moto-src} (once) and starts it; its output goes to {@code workDir/moto.log}. */
    public static MotoServer start(Path workDir) throws IOException, InterruptedException {
        String tarball = System.getProperty(TARBALL_PROPERTY);
        if (tarball == null || !Files.isRegularFile(Paths.get(tarball))) {
            throw new AssertionError("moto's source tarball is missing (" + tarball + "): the EC2 tests need it; set -D"
                    + TARBALL_PROPERTY + "=<path to moto-*-src.tgz> (see shared/vendor/README.md)");
        }
        if (!Files.isExecutable(Paths.get(PYTHON))) {
            throw new AssertionError(PYTHON + " is missing: moto needs Debian's python3 and its packages "
                    + "(tools/os-packages.sh install tests)");
        }
        Path src = workDir.resolve("moto-src");
        if (!Files.isDirectory(src.resolve("moto"))) {
            Files.createDirectories(src);
            Process tar = new ProcessBuilder("tar", "-xzf", tarball, "-C", src.toString())
                    .redirectErrorStream(true).redirectOutput(workDir.resolve("moto-unpack.log").toFile()).start();
            if (!tar.waitFor(120, TimeUnit.SECONDS) || tar.exitValue() != 0) {
                tar.destroyForcibly();
                throw new AssertionError("cannot unpack " + tarball + ": " + Files.readString(
                        workDir.resolve("moto-unpack.log")));
            }
        }
        int port = freePort();
        // moto runs under a small shell that ends it when this JVM's end closes its standard input (or when the
        // shell is terminated): a test JVM killed before its clean-up leaves no emulator behind.
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", "exec 3<&0; \"$@\" </dev/null & child=$!; "
                + "trap 'kill $child 2>/dev/null' EXIT; trap 'exit 143' TERM INT; cat <&3 >/dev/null & wait $!",
                "moto-guard", PYTHON, "-m", "moto.server", "-H", "127.0.0.1", "-p", Integer.toString(port))
                .directory(src.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(workDir.resolve("moto.log").toFile()));
        Map<String, String> env = pb.environment();
        env.put("PYTHONPATH", src.toString());
        env.put("MOTO_ENABLE_AMI_VALIDATION", "true");
        env.put("MOTO_ENABLE_KEYPAIR_VALIDATION", "true");
        env.put("MOTO_EC2_ENABLE_INSTANCE_TYPE_VALIDATION", "true");
        env.put("INITIAL_NO_AUTH_ACTION_COUNT", "3");
        Process process = pb.start();
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        try {
            awaitUp(process, endpoint, workDir);
            String[] key = createUser(endpoint);
            return new MotoServer(process, endpoint, key[0], key[1]);
        } catch (IOException | InterruptedException | RuntimeException | AssertionError e) {
            process.destroyForcibly();
            throw e;
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    public String accessKeyId() {
        return accessKeyId;
    }

    public String secretAccessKey() {
        return secretAccessKey;
    }

    /** moto's whole state as JSON ({@code /moto-api/data.json}): what a test checks is left. */
    public String state() throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(endpoint.resolve("/moto-api/data.json"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitUp(Process process, URI endpoint, Path workDir) throws InterruptedException, IOException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("moto ended at start (exit " + process.exitValue() + "): "
                        + Files.readString(workDir.resolve("moto.log")));
            }
            try {
                http.send(HttpRequest.newBuilder(endpoint.resolve("/moto-api/")).timeout(Duration.ofSeconds(2))
                        .build(), HttpResponse.BodyHandlers.discarding());
                return;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new AssertionError("moto did not answer within 60 s: " + Files.readString(workDir.resolve("moto.log")));
    }

    /**
     * The three unchecked calls: an IAM user allowed everything, and its access key. IAM's query API needs no
     * signature while moto checks none, only the service in the credential scope.
     */
    private static String[] createUser(URI endpoint) throws IOException, InterruptedException {
        iam(endpoint, Map.of("Action", "CreateUser", "UserName", "conpaas-test"));
        iam(endpoint, Map.of("Action", "PutUserPolicy", "UserName", "conpaas-test", "PolicyName", "all",
                "PolicyDocument", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                        + "\"Action\":\"*\",\"Resource\":\"*\"}]}"));
        String answer = iam(endpoint, Map.of("Action", "CreateAccessKey", "UserName", "conpaas-test"));
        return new String[] {element(answer, "AccessKeyId"), element(answer, "SecretAccessKey")};
    }

    private static String iam(URI endpoint, Map<String, String> parameters) throws IOException, InterruptedException {
        StringBuilder body = new StringBuilder("Version=2010-05-08");
        for (Map.Entry<String, String> p : parameters.entrySet()) {
            body.append('&').append(p.getKey()).append('=').append(URLEncoder.encode(p.getValue(),
                    StandardCharsets.UTF_8));
        }
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(endpoint)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/iam/"
                        + "aws4_request, SignedHeaders=host, Signature=0")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new AssertionError("moto's IAM refused " + parameters.get("Action") + ": " + answer.body());
        }
        return answer.body();
    }

    private static String element(String xml, String name) {
        Matcher m = Pattern.compile("<" + name + ">([^<]+)</" + name + ">").matcher(xml);
        if (!m.find()) {
            throw new AssertionError("no " + name + " in moto's answer: " + xml);
        }
        return m.group(1);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
