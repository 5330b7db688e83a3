package org.conpaas.service.java;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.conpaas.api.model.OperationDescriptor;
import org.conpaas.api.service.ServiceContext;
import org.conpaas.api.service.ServiceManager;
import org.conpaas.api.service.ServiceType;
import org.conpaas.service.web.DefaultCode;
import org.conpaas.service.web.SharedOperations;
import org.conpaas.service.web.WebServiceType;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * Java web hosting: nginx proxies in front, nginx web nodes for the WAR's static files, one Tomcat per backend node
 * serving the active WAR at the root context. A new service starts as one node running all three roles.
 */
@Component(service = ServiceType.class, property = ServiceType.PROPERTY + "=" + JavaServiceType.NAME,
        configurationPid = JavaServiceType.PID)
public class JavaServiceType extends WebServiceType {

    public static final String NAME = "java";
    public static final String PID = "org.conpaas.service.java";

    /** Service operations. */
    public static final String GET_CONFIGURATION = "get_configuration";

    /** Settings (PID {@value #PID}). */
    public @interface Config {
        /** The proxies' port; 0 means 80 when the nodes' agents run as root and 8000 otherwise. */
        int proxyPort() default 0;

        /** The maximum heap of each backend's Tomcat, in MB. */
        int tomcatHeapMb() default 512;
    }

    private static final List<OperationDescriptor> OPERATIONS = Stream.concat(Stream.of(
            new OperationDescriptor(GET_CONFIGURATION, "The active code version (a WAR)", List.of(), true)),
            SharedOperations.DESCRIPTORS.stream()).toList();

    private final int proxyPort;
    private final int tomcatHeapMb;

    @Activate
    public JavaServiceType(Config config) {
        if (config.tomcatHeapMb() < 64) {
            throw new IllegalArgumentException("tomcatHeapMb must be at least 64, not " + config.tomcatHeapMb());
        }
        this.proxyPort = config.proxyPort();
        this.tomcatHeapMb = config.tomcatHeapMb();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Java web hosting: nginx proxy and static web servers, Tomcat " + TomcatVersion.VERSION
                + " backends (Servlet 6.0)";
    }

    /** code-default: a WAR with a welcome page. */
    @Override
    public Optional<byte[]> defaultCode() {
        return Optional.of(DefaultCode.zip(JavaServiceType.class, List.of("index.html", "WEB-INF/web.xml")));
    }

    @Override
    public List<OperationDescriptor> operations() {
        return OPERATIONS;
    }

    @Override
    public ServiceManager createManager(ServiceContext context) {
        return new JavaManager(context, proxyPort, tomcatHeapMb);
    }
}
