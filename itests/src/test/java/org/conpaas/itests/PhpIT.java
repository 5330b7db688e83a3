package org.conpaas.itests;

import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.inject.Inject;
import org.conpaas.api.director.Director;
import org.conpaas.api.model.NodeInfo;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TestWatcher;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.exam.util.Filter;

/**
 * The PHP service on real nodes of the local cloud with real nginx, php-fpm and memcached: the welcome page, an
 * uploaded application activated and served through the proxy, backends added (the first one moves the backend off
 * the packed node) with the session counter continuing across them, a backend removed while a client loops without a
 * failed request, debug mode, and the requests that must be refused with a clear error while nothing changes (a WAR,
 * an upload that is no archive, unknown PHP settings, removing the last proxy). The steps are {@link PhpScenarios},
 * which {@link LxcCloudIT} runs on the LXC cloud.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PhpIT {
    private static final String USER = "admin";
    private static final Duration SETTLE = Duration.ofSeconds(120);

    @Inject
    @Filter(timeout = 120_000)
    private Director director;

    @Before
    public void awaitDirectorReady() throws Exception {
        DirectorTestSupport.awaitReady(director);
    }

    @Rule
    public TestWatcher keepLog = DirectorTestSupport.keepLogOnFailure();

    @Configuration
    public Option[] config() {
        // samples every 2 s: the proxy's request count shows soon
        return org.ops4j.pax.exam.OptionUtils.combine(DirectorTestSupport.distribution("php"),
                editConfigurationFilePut("etc/org.conpaas.director.cfg", "loadSamplePeriodSeconds", "2"));
    }

    @Test
    public void phpAppServedThroughTheProxyAndScaledWithoutFailedRequests() throws Exception {
        PhpScenarios.servedAndScaled(director, new NodeView.Local() {
            // issue 10: as root (CI) the node runs as its own account, so its agent is no root and the servers neither
            @Override
            public void checkWebNode(NodeInfo first, String url) throws Exception {
                Map<String, Long> servers = processesNaming(Path.of(System.getProperty("karaf.data"), "cloud-local",
                        "nodes", first.vmId(), "work"));
                assertTrue(servers.toString(), servers.keySet().stream().anyMatch(c -> c.startsWith("nginx"))
                        && servers.keySet().stream().anyMatch(c -> c.startsWith("php-fpm")));
                assertTrue("nothing of the node runs as root: " + servers,
                        servers.values().stream().allMatch(u -> u > 0));
                assertTrue("an agent without root serves on 8000: " + url, url.contains(":8000"));
            }
        });
    }

    /** Command line (with its pid) to real uid of every process whose command line names {@code folder}. */
    private static Map<String, Long> processesNaming(Path folder) throws IOException {
        Map<String, Long> found = new LinkedHashMap<>();
        try (var entries = Files.list(Path.of("/proc"))) {
            for (Path proc : entries.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String command = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8)
                            .replace('\0', ' ').strip();
                    if (command.contains(folder.toString())) {
                        String uid = Files.readAllLines(proc.resolve("status")).stream()
                                .filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow().split("\\s+")[1];
                        found.put(command + " (pid " + proc.getFileName() + ")", Long.parseLong(uid));
                    }
                } catch (IOException ended) {
                    // the process ended meanwhile
                }
            }
        }
        return found;
    }
}
