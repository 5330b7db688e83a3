package org.conpaas.core.internal.deploy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;

import org.apache.karaf.features.BootFinished;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens Karaf's {@code deploy/} folder once the boot features are installed.
 *
 * <p>Karaf's assembly ships {@code etc/org.apache.felix.fileinstall-deploy.cfg}, so File Install watched
 * {@code deploy/} from the first second: at a first start it installed the plug-ins there while the features
 * service was still installing the boot features. The plug-ins then started before core-api was there (a WARN and
 * a stack trace each), and now and then the boot install itself failed: File Install had added bundles to the
 * region digraph that the features service's deployment was about to replace ("The origin update count has
 * changed since the replacement copy was created"), and the director came up without its database. The
 * distribution no longer ships that file; this component gives File Install the same watch when Karaf registers
 * {@link BootFinished}. The configuration lives in Config Admin's store (it has no file in etc/), so later starts
 * watch the folder at once: Karaf installs the boot features only at the first start.
 */
@Component
public final class DeployFolder {

    static final String FILE_INSTALL_FACTORY_PID = "org.apache.felix.fileinstall";
    static final String NAME = "deploy";

    private static final Logger LOG = LoggerFactory.getLogger(DeployFolder.class);

    private final ConfigurationAdmin configurations;

    @Activate
    public DeployFolder(@Reference ConfigurationAdmin configurations) {
        this.configurations = configurations;
    }

    /**
     * Optional and dynamic on purpose: a mandatory reference becomes an {@code osgi.service} requirement in the
     * manifest, which Karaf's resolver cannot meet (no bundle declares BootFinished as a capability).
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void bindBootFinished(BootFinished bootFinished) throws IOException {
        Dictionary<String, Object> watch = watch(Path.of(System.getProperty("karaf.base", ".")),
                Path.of(System.getProperty("karaf.data", "data")));
        if (configurations.getFactoryConfiguration(FILE_INSTALL_FACTORY_PID, NAME, "?").updateIfDifferent(watch)) {
            LOG.info("boot features installed: watching {} for plug-ins", watch.get("felix.fileinstall.dir"));
        }
    }

    void unbindBootFinished(BootFinished bootFinished) {
        // the watch stays: File Install keeps deploying while Karaf's features service restarts
    }

    /** The settings Karaf's own file has (poll every second, bundles started at level 80), and a first scan at once. */
    static Dictionary<String, Object> watch(Path karafBase, Path karafData) {
        Dictionary<String, Object> watch = new Hashtable<>();
        watch.put("felix.fileinstall.dir", karafBase.resolve("deploy").toAbsolutePath().normalize().toString());
        watch.put("felix.fileinstall.tmpdir",
                karafData.resolve("generated-bundles").toAbsolutePath().normalize().toString());
        watch.put("felix.fileinstall.poll", "1000");
        watch.put("felix.fileinstall.noInitialDelay", "true");
        watch.put("felix.fileinstall.start.level", "80");
        watch.put("felix.fileinstall.active.level", "80");
        watch.put("felix.fileinstall.log.level", "3");
        return watch;
    }
}
