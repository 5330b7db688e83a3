package org.conpaas.itests;

import javax.inject.Inject;
import org.conpaas.api.director.Director;
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
 * The Java service on real nodes of the local cloud with real nginx and the bundled Tomcat: the welcome WAR, a WAR
 * compiled by this test (a servlet and a JSP) activated and served through the proxy, scaled to two backends that
 * both serve it, and PHP code refused ({@link JavaScenarios}, which {@link LxcCloudIT} runs on the LXC cloud).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class JavaIT {

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
    public Option[] config() throws java.io.IOException {
        return JavaScenarios.wars(DirectorTestSupport.distribution("java"));
    }

    @Test
    public void warServedThroughTheProxyAndScaledToTwoBackends() throws Exception {
        JavaScenarios.warServedAndScaled(director, NodeView.LOCAL);
    }
}
