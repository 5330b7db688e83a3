package org.conpaas.service.java;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.conpaas.api.InvalidInputException;
import org.conpaas.api.model.CodeVersionInfo;
import org.conpaas.api.service.ServiceContext;
import org.conpaas.service.web.CodeKinds;
import org.conpaas.service.web.Topology;
import org.conpaas.service.web.WebManager;
import org.conpaas.service.web.WebOperations;

/**
 * The Java service's manager: the web roles of {@link WebManager} with one Tomcat per backend node. Sessions stay on
 * the backend that created them (Tomcat's own), as in the original.
 */
public class JavaManager extends WebManager {

    private final int tomcatHeapMb;

    public JavaManager(ServiceContext context, int proxyPort, int tomcatHeapMb) {
        super(context, proxyPort);
        this.tomcatHeapMb = tomcatHeapMb;
    }

    /** Only a WAR: PHP code, or any other archive, is refused by name. */
    @Override
    protected void checkCode(String version, Path archive) {
        if (!CodeKinds.isWar(archive)) {
            throw new InvalidInputException("code version " + version + " is not a Java web archive (WAR, a zip "
                    + "holding WEB-INF/); the Java service takes WAR files");
        }
    }

    @Override
    protected Map<String, Object> backendParams(Topology topology, List<String> proxies) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put(WebOperations.PORT, WebOperations.BACKEND_PORT);
        params.put(WebOperations.PROXIES, proxies);
        params.put(JavaOperations.HEAP_MB, tomcatHeapMb);
        return params;
    }

    @Override
    protected Object invokeOther(String operation, Map<String, Object> params) {
        if (!JavaServiceType.GET_CONFIGURATION.equals(operation)) {
            throw new IllegalArgumentException("unknown operation " + operation);
        }
        return Map.of("codeVersionId", context.code().active().map(CodeVersionInfo::id).orElse(""));
    }
}
