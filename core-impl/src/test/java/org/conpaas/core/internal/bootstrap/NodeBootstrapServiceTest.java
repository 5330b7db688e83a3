package org.conpaas.core.internal.bootstrap;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.conpaas.api.cloud.CloudCapability;
import org.conpaas.api.cloud.CloudDriver;
import org.conpaas.api.cloud.CloudNode;
import org.conpaas.api.cloud.HostShare;
import org.conpaas.api.cloud.LaunchRequest;
import org.conpaas.core.internal.testing.AnnotationConfigs;
import org.conpaas.core.internal.testing.BuiltAgent;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class NodeBootstrapServiceTest {

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private static NodeBootstrapService withUrl(String url) {
        Map<String, Object> values = new HashMap<>(Map.of("port", 9443, "nodeBootstrapTokenSeconds", 0));
        values.put("nodeBootstrapUrl", url);
        return new NodeBootstrapService(null, null, AnnotationConfigs.of(BootstrapConfig.class, values));
    }

    @Test
    public void theDefaultUrlIsTheDirectorsHttpsOnLoopback() {
        assertEquals(URI.create("https://127.0.0.1:9443/api/v1/nodes/bootstrap/agent"), withUrl("").agentUrl());
    }

    @Test
    public void aGivenHttpsUrlIsUsedAsTheBase() {
        assertEquals(URI.create("https://director.example.org:8443/api/v1/nodes/bootstrap/agent"),
                withUrl("https://director.example.org:8443/api/v1/nodes/bootstrap/").agentUrl());
    }

    @Test
    public void aBadUrlKeepsTheComponentWithTheDefault() {
        for (String bad : new String[] {"http://director:8181/api/v1/nodes/bootstrap", "not a url", "https:///x",
                "https://host/it's"}) {
            assertEquals(bad, URI.create("https://127.0.0.1:9443/api/v1/nodes/bootstrap/agent"),
                    withUrl(bad).agentUrl());
        }
    }

    @Test
    public void aNodeThatWouldDownloadTheAgentFromAnHttpsThatIsOffCannotBoot() {
        NodeBootstrapService own = withUrl("");
        assertEquals("no word on HTTPS yet: the launch goes on", Optional.empty(), own.unbootable("node-1", false));
        own.https = Optional::empty;
        assertEquals(Optional.empty(), own.unbootable("node-1", false));
        own.https = () -> Optional.of("HTTPS port 9443 is taken by another program");
        String reason = own.unbootable("node-1", false).orElseThrow();
        assertTrue(reason, reason.startsWith("node node-1 cannot boot: it downloads the agent from the director over "
                + "HTTPS, and HTTPS port 9443 is taken by another program (choose a free port"));
        assertEquals("a node with the agent on a shared machine needs no download", Optional.empty(),
                own.unbootable("node-1", true));

        NodeBootstrapService proxied = withUrl("https://director.example.org:8443/api/v1/nodes/bootstrap");
        proxied.https = () -> Optional.of("HTTPS is turned off in etc/org.conpaas.https.cfg");
        assertEquals("another URL may serve the agent: the director cannot tell", Optional.empty(),
                proxied.unbootable("node-1", false));
    }

    @Test
    public void changesApplyLive() {
        NodeBootstrapService service = withUrl("");
        Map<String, Object> values = new HashMap<>(Map.of("port", 9443,
                "nodeBootstrapUrl", "https://10.0.0.1:8443/api/v1/nodes/bootstrap"));
        service.modified(AnnotationConfigs.of(BootstrapConfig.class, values));
        assertEquals(URI.create("https://10.0.0.1:8443/api/v1/nodes/bootstrap/agent"), service.agentUrl());
    }

    @Test
    public void aCloudWithASharedMachineGetsTheAgentInstalledBeforeItsFirstLaunch() throws Exception {
        Map<String, Object> values = new HashMap<>(Map.of("port", 9443,
                "agentArchive", BuiltAgent.runtimeTarball().toString()));
        NodeBootstrapService service = new NodeBootstrapService(null, null,
                AnnotationConfigs.of(BootstrapConfig.class, values));
        Path share = temp.newFolder("share").toPath();
        Path unavailableShare = temp.newFolder("unavailable").toPath();
        try {
            // one installer thread, in order: once the second cloud's installation is there, the first was handled
            service.bindCloud(cloud(new HostShare(unavailableShare, unavailableShare), "no lxc here"));
            service.bindCloud(cloud(new HostShare(share, Path.of("/seen/by/nodes")), null));
            long end = System.nanoTime() + 30_000_000_000L;
            while (!Files.exists(installedLauncher(share)) && System.nanoTime() < end) {
                Thread.sleep(50);
            }
            assertTrue("installed without any node launched", Files.isExecutable(installedLauncher(share)));
        } finally {
            service.deactivate();
        }
        try (Stream<Path> left = Files.list(unavailableShare)) {
            assertEquals("nothing for an unavailable cloud", List.of(), left.toList());
        }
    }

    private static Path installedLauncher(Path share) throws java.io.IOException {
        try (Stream<Path> entries = Files.list(share)) {
            return entries.filter(p -> p.getFileName().toString().startsWith("agent-")).findFirst()
                    .map(p -> p.resolve(UserData.AGENT_HOME).resolve(SharedAgents.LAUNCHER))
                    .orElse(share.resolve("none"));
        }
    }

    private static CloudDriver cloud(HostShare share, String unavailable) {
        return new CloudDriver() {
            @Override
            public String name() {
                return "shared";
            }

            @Override
            public String type() {
                return "test";
            }

            @Override
            public Set<CloudCapability> capabilities() {
                return Set.of();
            }

            @Override
            public String unavailableReason() {
                return unavailable;
            }

            @Override
            public Optional<HostShare> hostShare() {
                return Optional.of(share);
            }

            @Override
            public List<CloudNode> launch(LaunchRequest request) {
                throw new UnsupportedOperationException();
            }

            @Override
            public List<CloudNode> describe(Collection<String> vmIds) {
                return List.of();
            }

            @Override
            public List<CloudNode> list() {
                return List.of();
            }

            @Override
            public void terminate(Collection<String> vmIds) {
            }
        };
    }
}
