package org.conpaas.service.generic;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.conpaas.api.model.OperationDescriptor;
import org.conpaas.api.model.ParameterDescriptor;
import org.conpaas.api.model.ParameterType;
import org.conpaas.api.service.ServiceContext;
import org.conpaas.api.service.ServiceManager;
import org.conpaas.api.service.ServiceType;
import org.osgi.service.component.annotations.Component;

/**
 * The generic service type: runs any application through five life-cycle scripts (init, notify, run, interrupt,
 * cleanup) shipped in the service's code version. The first node is the {@code master}; added nodes are {@code node}s.
 */
@Component(service = ServiceType.class, property = ServiceType.PROPERTY + "=" + GenericServiceType.NAME)
public class GenericServiceType implements ServiceType {

    public static final String NAME = "generic";
    public static final String MASTER = "master";
    public static final String NODE = "node";

    /** Service operations. */
    public static final String RUN = "run";
    public static final String INTERRUPT = "interrupt";
    public static final String CLEANUP = "cleanup";
    public static final String GET_SCRIPT_STATUS = "get_script_status";
    /** The optional parameter of run, interrupt and cleanup: passed to the script split on white space. */
    public static final String PARAMETERS = "parameters";

    private static final List<OperationDescriptor> OPERATIONS = List.of(
            scriptOperation(RUN, "Run run.sh on every node"),
            scriptOperation(INTERRUPT, "Run interrupt.sh on every node, then stop the scripts still running; "
                    + "a second interrupt kills them at once"),
            scriptOperation(CLEANUP, "Run cleanup.sh on every node"),
            new OperationDescriptor(GET_SCRIPT_STATUS, "Status of every script on every node", List.of(), true));

    private static OperationDescriptor scriptOperation(String name, String description) {
        return new OperationDescriptor(name, description, List.of(ParameterDescriptor.optional(PARAMETERS,
                ParameterType.STRING, "Arguments for the script, separated by white space")), false);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Generic: runs any application through init, notify, run, interrupt and cleanup scripts";
    }

    @Override
    public List<String> roles() {
        return List.of(MASTER, NODE);
    }

    /** Nodes added with a plain count are workers: the master is fixed for the service's lifetime. */
    @Override
    public String defaultRole() {
        return NODE;
    }

    @Override
    public Map<String, Integer> startingNodes() {
        return Map.of(MASTER, 1);
    }

    /** The five default scripts (resources code-default/*.sh), zipped: every new generic service starts with them. */
    @Override
    public Optional<byte[]> defaultCode() {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(zip)) {
            for (String script : List.of("init.sh", "notify.sh", "run.sh", "interrupt.sh", "cleanup.sh")) {
                try (InputStream in = GenericServiceType.class.getResourceAsStream("/code-default/" + script)) {
                    if (in == null) {
                        throw new IllegalStateException("the bundle lacks code-default/" + script);
                    }
                    out.putNextEntry(new ZipEntry(script));
                    in.transferTo(out);
                    out.closeEntry();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the default scripts", e);
        }
        return Optional.of(zip.toByteArray());
    }

    @Override
    public List<OperationDescriptor> operations() {
        return OPERATIONS;
    }

    @Override
    public ServiceManager createManager(ServiceContext context) {
        return new GenericManager(context);
    }
}
