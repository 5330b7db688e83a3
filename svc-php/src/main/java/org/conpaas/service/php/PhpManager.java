package org.conpaas.service.php;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.conpaas.api.InvalidInputException;
import org.conpaas.api.service.ServiceContext;
import org.conpaas.api.service.ServiceNode;
import org.conpaas.service.web.CodeKinds;
import org.conpaas.service.web.Topology;
import org.conpaas.service.web.WebManager;
import org.conpaas.service.web.WebOperations;

/**
 * The PHP service's manager: the web roles of {@link WebManager}, php-fpm backends with the service's PHP settings,
 * and the PHP sessions of every backend in memcached on the first proxy, the one node the service keeps from start to
 * stop (so sessions survive adding and removing backends, web nodes and other proxies).
 */
public class PhpManager extends WebManager {

    /** Manager state: {@code phpconf.<setting>} = a value the user set (defaults are not stored). */
    static final String PHPCONF_KEY = "phpconf.";

    public PhpManager(ServiceContext context, int proxyPort) {
        super(context, proxyPort);
    }

    /** The original accepted zip and tar archives of PHP files; a Java web archive is refused by name. */
    @Override
    protected void checkCode(String version, Path archive) {
        if (CodeKinds.isWar(archive)) {
            throw new InvalidInputException("code version " + version + " is a Java web archive (WAR); the PHP "
                    + "service takes tar or zip archives of PHP files");
        }
    }

    @Override
    protected void prepare(Topology before, Topology after) {
        ServiceNode store = after.firstProxy();
        if (before.isEmpty() || !before.firstProxy().id().equals(store.id())) {
            call(store, PhpOperations.START_SESSION_STORE, Map.of(WebOperations.PORT,
                    PhpOperations.SESSION_STORE_PORT));
        }
    }

    @Override
    protected Map<String, Object> backendParams(Topology topology, List<String> proxies) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put(WebOperations.PORT, WebOperations.BACKEND_PORT);
        params.put(PhpOperations.SESSIONS, List.of(Map.of("ip", topology.firstProxy().address(),
                "port", PhpOperations.SESSION_STORE_PORT)));
        params.put(WebOperations.PROXIES, proxies);
        params.put(PhpOperations.PHPCONF, phpconf());
        return params;
    }

    /** Requests as large as PHP accepts them pass the proxy. */
    @Override
    protected String maxBodySize() {
        return phpconf().get("post_max_size");
    }

    @Override
    protected Object invokeOther(String operation, Map<String, Object> params) {
        switch (operation) {
            case PhpServiceType.GET_CONFIGURATION -> {
                Map<String, Object> configuration = new LinkedHashMap<>();
                configuration.put("codeVersionId", context.code().active().map(v -> v.id()).orElse(""));
                configuration.put(PhpServiceType.PHPCONF, phpconf());
                return configuration;
            }
            case PhpServiceType.UPDATE_PHP_CONFIGURATION -> {
                return updatePhpConfiguration(params.get(PhpServiceType.PHPCONF));
            }
            default -> throw new IllegalArgumentException("unknown operation " + operation);
        }
    }

    /** All settings are checked before any is stored: a refused update changes nothing. */
    private Map<String, String> updatePhpConfiguration(Object value) {
        if (!(value instanceof Map<?, ?> map) || map.isEmpty()) {
            throw new InvalidInputException(PhpServiceType.PHPCONF, "phpconf must be an object with at least one "
                    + "setting, e.g. {\"display_errors\": \"On\"}");
        }
        Map<String, String> changes = new LinkedHashMap<>();
        map.forEach((key, setting) -> changes.put(String.valueOf(key),
                setting instanceof String || setting instanceof Number ? String.valueOf(setting) : null));
        PhpConfiguration.validate(changes);
        Map<String, String> defaults = PhpConfiguration.defaults();
        changes.forEach((key, setting) -> {
            if (setting.equals(defaults.get(key))) {
                context.state().remove(PHPCONF_KEY + key);
            } else {
                context.state().put(PHPCONF_KEY + key, setting);
            }
        });
        context.log().info("PHP settings changed: " + changes);
        reloadBackendsAndProxies();
        return phpconf();
    }

    /** The defaults with the user's changes. */
    Map<String, String> phpconf() {
        Map<String, String> phpconf = PhpConfiguration.defaults();
        context.state().all().forEach((key, value) -> {
            if (key.startsWith(PHPCONF_KEY)) {
                phpconf.put(key.substring(PHPCONF_KEY.length()), value);
            }
        });
        return phpconf;
    }
}
