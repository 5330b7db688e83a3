package org.conpaas.core.internal.accounts;

import java.util.HashMap;
import java.util.Map;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.AppConfigurationEntry.LoginModuleControlFlag;
import org.apache.karaf.jaas.boot.ProxyLoginModule;
import org.apache.karaf.jaas.config.JaasRealm;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The JAAS realm {@code conpaas}, backed by the user table: Karaf's ssh server and {@code bin/client}
 * ({@code sshRealm = conpaas}), the REST API and the web frontend log in through it. Karaf's jaas config bundle
 * picks up every {@link JaasRealm} service. As in Karaf's own realms, the entry is Karaf's {@link ProxyLoginModule},
 * which loads {@link ConpaasLoginModule} from this bundle (JAAS itself would look for it on the wrong class loader);
 * the accounts service travels in the options.
 */
@Component(service = JaasRealm.class, immediate = true)
public class ConpaasJaasRealm implements JaasRealm {
    public static final String NAME = "conpaas";

    private final AppConfigurationEntry[] entries;

    @Activate
    public ConpaasJaasRealm(@Reference Accounts accounts, BundleContext context) {
        this(accounts, context.getBundle().getBundleId(), context);
    }

    ConpaasJaasRealm(Accounts accounts, long bundleId, BundleContext context) {
        Map<String, Object> options = new HashMap<>();
        options.put(ProxyLoginModule.PROPERTY_MODULE, ConpaasLoginModule.class.getName());
        options.put(ProxyLoginModule.PROPERTY_BUNDLE, Long.toString(bundleId));
        if (context != null) {
            options.put(BundleContext.class.getName(), context); // as Karaf's realms do; some modules look for it
        }
        options.put(ConpaasLoginModule.ACCOUNTS_OPTION, accounts);
        this.entries = new AppConfigurationEntry[] {new AppConfigurationEntry(ProxyLoginModule.class.getName(),
                LoginModuleControlFlag.REQUIRED, Map.copyOf(options))};
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public int getRank() {
        return 0;
    }

    @Override
    public AppConfigurationEntry[] getEntries() {
        return entries.clone();
    }
}
