package org.conpaas.core.rest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.conpaas.api.cloud.HostShare;
import org.conpaas.api.cloud.NodeLaunch;
import org.conpaas.core.internal.agent.HttpsAgentClient;
import org.conpaas.core.internal.bootstrap.BootstrapConfig;
import org.conpaas.core.internal.bootstrap.NodeBootstrapService;
import org.conpaas.core.internal.bootstrap.UserData;
import org.conpaas.core.internal.security.NodeCredentials;
import org.conpaas.core.internal.testing.AnnotationConfigs;
import org.conpaas.core.rest.RestHarness.Reply;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A node's boot as a real cloud runs it: the rendered user data, run by {@code sh}, writes the node's files, runs the
 * startup script, downloads the agent runtime over HTTPS (checked against the director's CA) with its one-time token
 * and starts it; the endpoint takes nothing but a valid, unused token.
 */
public class NodeBootstrapTest {

    private static final String AGENT = "/api/v1/nodes/bootstrap/agent";
    /** Stands in for the agent: shows what it was started with, and that the startup script ran first. */
    private static final String FAKE_AGENT = """
            #!/bin/sh
            echo "agent started from $0 with $1" > agent-started
            if [ -f startup-ran ]; then echo "after the startup script" >> agent-started; fi
            """;

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private RestHarness rest;
    private NodeBootstrapService bootstrap;

    @Before
    public void start() throws Exception {
        rest = new RestHarness(new FakeDirector(), "alice");
        Path archive = fakeAgentArchive();
        bootstrap = new NodeBootstrapService(rest.pki, new HttpsAgentClient(rest.pki), AnnotationConfigs.of(BootstrapConfig.class, Map.of(
                "agentArchive", archive.toString(),
                "nodeBootstrapUrl", rest.secureBase + "/api/v1/nodes/bootstrap",
                "nodeBootstrapTokenSeconds", 60)));
        rest.downloads = bootstrap;
    }

    @After
    public void stop() throws Exception {
        rest.close();
    }

    @Test
    public void theUserDataBootsTheNodeWithItsTokenOverHttps() throws Exception {
        NodeCredentials credentials = rest.pki.issueNodeCredentials("node-7", "alice", 3);
        String userData = bootstrap.render("node-7", Map.of("conpaas.node.id", "node-7", "conpaas.node.role", "web"),
                credentials, "touch startup-ran\necho 'it ran' \"$HOME\"\n", Optional.empty());
        assertTrue(userData.startsWith("#!/bin/sh\n"));
        assertFalse("the store password is not in clear", userData.contains(credentials.password()));

        Path node = temp.newFolder("node").toPath();
        Process boot = run(userData, node);
        assertEquals(output(node), 0, boot.exitValue());

        assertEquals("agent started from ./" + UserData.AGENT_LAUNCHER + " with " + node.resolve("agent.properties")
                + "\nafter the startup script\n",
                Files.readString(node.resolve("agent-started")));
        String properties = Files.readString(node.resolve("agent.properties"));
        for (String line : List.of("conpaas.node.id=node-7", "conpaas.node.role=web", "conpaas.agent.port=5601",
                "conpaas.agent.address=127.0.0.1", "conpaas.agent.workDir=" + node,
                "conpaas.agent.mediaDir=" + node.resolve("media"), "conpaas.agent.keystore=keystore.p12",
                "conpaas.agent.storePassword=" + credentials.password())) {
            assertTrue(line + " in\n" + properties, properties.lines().anyMatch(line::equals));
        }
        assertEquals(List.of(credentials.keyStore().length, credentials.trustStore().length),
                List.of(Files.readAllBytes(node.resolve("keystore.p12")).length,
                        Files.readAllBytes(node.resolve("truststore.p12")).length));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                node.resolve("keystore.p12"))));
        assertTrue(Files.readString(node.resolve("logs/startup.log")).contains("startup script exited with status 0"));

        // the token is used up: the same user data cannot fetch the agent again
        Path again = temp.newFolder("again").toPath();
        Process second = run(userData, again);
        assertTrue(second.exitValue() != 0);
        assertFalse(Files.exists(again.resolve("agent-started")));
    }

    @Test
    public void aNodeOnAMachineWithASharedInstallationStartsItAndDownloadsNothing() throws Exception {
        Path share = temp.newFolder("host-share").toPath();
        String userData = bootstrap.render("node-5", Map.of(), rest.pki.issueNodeCredentials("node-5", "alice", 3),
                null, Optional.of(new HostShare(share, share)));
        Path node = temp.newFolder("node-5").toPath();
        Process boot = run(userData, node);
        assertEquals(output(node), 0, boot.exitValue());

        String started = Files.readString(node.resolve("agent-started"));
        assertTrue(started, started.startsWith("agent started from " + share + "/agent-"));
        assertFalse("nothing unpacked in the node's folder", Files.exists(node.resolve("conpaas-agent")));
        assertEquals("the token was not used", 200,
                rest.withAuthorization("Bearer " + tokenIn(userData), "GET", AGENT).status());

        // the installation gone (say, the share was cleaned): the node downloads the agent as on any cloud
        try (var installations = Files.list(share)) {
            installations.filter(Files::isDirectory).forEach(NodeBootstrapTest::deleteTree);
        }
        String later = bootstrap.render("node-6", Map.of(), rest.pki.issueNodeCredentials("node-6", "alice", 3),
                null, Optional.of(new HostShare(share, Path.of("/nowhere/share"))));
        Path sixth = temp.newFolder("node-6").toPath();
        Process sixthBoot = run(later, sixth);
        assertEquals(output(sixth), 0, sixthBoot.exitValue());
        assertTrue(Files.readString(sixth.resolve("agent-started")).startsWith("agent started from ./"));
        assertEquals("the token was used", 403, rest.withAuthorization("Bearer " + tokenIn(later), "GET", AGENT)
                .status());
    }

    private static void deleteTree(Path tree) {
        try (var walk = Files.walk(tree)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    public void onlyAValidUnusedTokenGetsTheAgent() throws Exception {
        Reply none = rest.anonymous("GET", AGENT);
        assertEquals(401, none.status());
        assertTrue(none.contentType(), none.contentType().startsWith("application/problem+json"));
        assertEquals(BootstrapResource.BEARER_CHALLENGE,
                none.raw().headers().firstValue("WWW-Authenticate").orElse(""));
        assertEquals("a user's password is not a token", 401,
                rest.withAuthorization(RestHarness.basic("alice", RestHarness.password("alice")), "GET", AGENT)
                        .status());
        Reply wrong = rest.withAuthorization("Bearer not-a-token", "GET", AGENT);
        assertEquals(403, wrong.status());
        assertTrue(wrong.contentType().startsWith("application/problem+json"));

        String token = tokenIn(bootstrap.render("node-8", Map.of(), rest.pki.issueNodeCredentials("node-8", "alice",
                3), null, Optional.empty()));
        assertEquals(200, rest.withAuthorization("Bearer " + token, "GET", AGENT).status());
        assertEquals("single use", 403, rest.withAuthorization("Bearer " + token, "GET", AGENT).status());

        String revoked = tokenIn(bootstrap.render("node-9", Map.of(), rest.pki.issueNodeCredentials("node-9",
                "alice", 3), null, Optional.empty()));
        bootstrap.revoke("node-9");
        assertEquals(403, rest.withAuthorization("Bearer " + revoked, "GET", AGENT).status());
    }

    private static String tokenIn(String userData) {
        Matcher m = Pattern.compile("Bearer %s\"\\\\n' '([A-Za-z0-9_-]+)'").matcher(userData);
        assertTrue(userData, m.find());
        return m.group(1);
    }

    private Process run(String userData, Path node) throws Exception {
        Path script = node.resolve("user-data");
        Files.writeString(script, userData);
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", script.toString()).directory(node.toFile())
                .redirectErrorStream(true).redirectOutput(node.resolve("boot.out").toFile());
        builder.environment().put(NodeLaunch.NODE_DIR_VARIABLE, node.toString());
        builder.environment().put(NodeLaunch.AGENT_ADDRESS_VARIABLE, "127.0.0.1");
        builder.environment().put(NodeLaunch.AGENT_PORT_VARIABLE, "5601");
        builder.environment().put(NodeLaunch.FOREGROUND_VARIABLE, "1");
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the boot script did not end within 60 s: " + output(node));
        }
        return process;
    }

    private static String output(Path node) throws Exception {
        return Files.readString(node.resolve("boot.out"));
    }

    private Path fakeAgentArchive() throws Exception {
        Path staging = temp.newFolder("staging").toPath();
        Path launcher = staging.resolve(UserData.AGENT_LAUNCHER);
        Files.createDirectories(launcher.getParent());
        Files.writeString(launcher, FAKE_AGENT, StandardCharsets.UTF_8);
        assertTrue(launcher.toFile().setExecutable(true));
        Path archive = temp.getRoot().toPath().resolve("conpaas-agent.tar.gz");
        Process tar = new ProcessBuilder("tar", "-czf", archive.toString(), "-C", staging.toString(),
                "conpaas-agent").inheritIO().start();
        assertTrue(tar.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, tar.exitValue());
        return archive;
    }
}
