package org.conpaas.service.php;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.conpaas.api.model.OperationDescriptor;
import org.conpaas.api.model.ParameterDescriptor;
import org.conpaas.api.model.ParameterType;
import org.conpaas.api.service.ServiceContext;
import org.conpaas.api.service.ServiceManager;
import org.conpaas.api.service.ServiceType;
import org.conpaas.service.web.DefaultCode;
import org.conpaas.service.web.SharedOperations;
import org.conpaas.service.web.WebServiceType;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * PHP web hosting: nginx proxies in front, nginx web nodes for static files, php-fpm backends, PHP sessions in
 * memcached. A new service starts as one node running all three roles.
 */
@Component(service = ServiceType.class, property = ServiceType.PROPERTY + "=" + PhpServiceType.NAME,
        configurationPid = PhpServiceType.PID)
public class PhpServiceType extends WebServiceType {

    public static final String NAME = "php";
    public static final String PID = "org.conpaas.service.php";

    /** Service operations. */
    public static final String GET_CONFIGURATION = "get_configuration";
    public static final String UPDATE_PHP_CONFIGURATION = "update_php_configuration";
    public static final String PHPCONF = "phpconf";

    /** Settings (PID {@value #PID}). */
    public @interface Config {
        /** The proxies' port; 0 means 80 when the nodes' agents run as root and 8000 otherwise. */
        int proxyPort() default 0;
    }

    private static final List<OperationDescriptor> OPERATIONS = Stream.concat(Stream.of(
            new OperationDescriptor(GET_CONFIGURATION, "The active code version and the PHP settings (phpconf)",
                    List.of(), true),
            new OperationDescriptor(UPDATE_PHP_CONFIGURATION, "Change PHP settings, e.g. {\"display_errors\": \"On\"}",
                    List.of(ParameterDescriptor.required(PHPCONF, ParameterType.JSON,
                            "an object of settings: max_execution_time, memory_limit, upload_max_filesize, "
                                    + "post_max_size, log_errors, display_errors, disable_functions")), false)),
            SharedOperations.DESCRIPTORS.stream()).toList();

    private final int proxyPort;

    @Activate
    public PhpServiceType(Config config) {
        this.proxyPort = config.proxyPort();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "PHP web hosting: nginx proxy and static web servers, php-fpm backends, shared sessions";
    }

    /** code-default: a welcome page. */
    @Override
    public Optional<byte[]> defaultCode() {
        return Optional.of(DefaultCode.zip(PhpServiceType.class, List.of("index.html")));
    }

    @Override
    public List<OperationDescriptor> operations() {
        return OPERATIONS;
    }

    @Override
    public ServiceManager createManager(ServiceContext context) {
        return new PhpManager(context, proxyPort);
    }
}
