package org.conpaas.itests;

import javax.inject.Inject;
import org.conpaas.api.director.Director;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TestWatcher;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.exam.util.Filter;

/**
 * The xtreemfs service on a local cloud in the namespace mode (CI runs as root; without root the cloud is unavailable
 * and the test fails): {@link XtreemfsScenarios}, with a Generic service's script writing to the volume too.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class XtreemfsIT {

    @Rule
    public TestWatcher keepLog = DirectorTestSupport.keepLogOnFailure();

    @Inject
    @Filter(timeout = 120_000)
    private Director director;

    @Configuration
    public Option[] config() {
        return OptionUtils.combine(DirectorTestSupport.distribution("xtreemfs"), OptionUtils.combine(
                NamespaceItCloud.options("cpsxf"), XtreemfsScenarios.smallOsdVolumes()));
    }

    @Test
    public void volumeSurvivesScalingAndOsdRemoval() throws Exception {
        new XtreemfsScenarios(DirectorTestSupport.containerApi(), director, "ns",
                System.getProperty(NamespaceItCloud.SUBNET_PROPERTY), true).volumeSurvivesScalingAndOsdRemoval();
    }
}
