package org.conpaas.service.java;

import static org.conpaas.service.testing.FakeServiceContext.node;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.conpaas.api.InvalidInputException;
import org.conpaas.api.service.ServiceNode;
import org.conpaas.service.testing.FakeServiceContext;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The Java manager against a fake director: WARs only, Tomcat's parameters, the shared web roles. */
public class JavaManagerTest {

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private final FakeServiceContext context = new FakeServiceContext();
    private final ServiceNode first = node("node-1", "proxy");
    private JavaManager manager;

    @Before
    public void setUp() throws IOException {
        context.addVersion("code-default", zip("index.html", "WEB-INF/web.xml"));
        context.activate("code-default");
        context.answers = (node, call) -> call.operation().equals("start_proxy") ? Map.of("port", 8000) : Map.of();
        manager = new JavaManager(context, 0, 256);
    }

    private Path zip(String... names) throws IOException {
        Path zip = temp.newFile().toPath();
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
            for (String name : names) {
                z.putNextEntry(new ZipEntry(name));
                z.write("x".getBytes());
                z.closeEntry();
            }
        }
        return zip;
    }

    @Test
    public void theStartingNodeRunsTomcatWithTheHeapAndTheProxiesAndPublishesTheUrl() {
        context.nodes.add(first);
        manager.onStart(List.of(first));

        assertEquals(List.of("node-1:start_backend", "node-1:start_web",
                "node-1:start_proxy"), context.callSequence());
        Map<String, Object> backend = context.lastCall("node-1", "start_backend").orElseThrow().params();
        assertEquals(9000, backend.get("port"));
        assertEquals(256, backend.get("heapMb"));
        assertEquals(List.of(first.address()), backend.get("proxies"));
        assertEquals("http://" + first.address() + ":8000/", context.url());
    }

    @Test
    public void phpCodeOrAnyOtherNonWarIsRefusedByName() throws IOException {
        context.addVersion("code-php", zip("index.php"));
        try {
            manager.checkActivateCode("code-php");
            fail("a zip without WEB-INF/ was accepted");
        } catch (InvalidInputException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("code-php is not a Java web archive (WAR"));
        }
        context.addVersion("code-war", zip("WEB-INF/classes/app/A.class", "index.jsp"));
        manager.checkActivateCode("code-war"); // a WAR passes
    }

    @Test
    public void getConfigurationNamesTheActiveWar() throws Exception {
        assertEquals(Map.of("codeVersionId", "code-default"), manager.invoke("get_configuration", Map.of(), Map.of()));
    }

    @Test
    public void theTypeOffersTheWebOperationsAndAWelcomeWar() throws Exception {
        JavaServiceType type = new JavaServiceType(new JavaServiceType.Config() {
            @Override
            public Class<? extends java.lang.annotation.Annotation> annotationType() {
                return JavaServiceType.Config.class;
            }

            @Override
            public int proxyPort() {
                return 0;
            }

            @Override
            public int tomcatHeapMb() {
                return 512;
            }
        });
        assertEquals(List.of("get_configuration", "update_nodes_weight", "list_nodes"),
                type.operations().stream().map(o -> o.name()).toList());
        Path war = temp.newFile("default.war").toPath();
        Files.write(war, type.defaultCode().orElseThrow());
        context.addVersion("welcome", war);
        manager.checkActivateCode("welcome"); // code-default is a WAR itself
        assertTrue(type.description(), type.description().contains("Tomcat " + TomcatVersion.VERSION));
    }
}
