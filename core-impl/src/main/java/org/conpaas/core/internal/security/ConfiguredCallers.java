package org.conpaas.core.internal.security;

import org.conpaas.core.internal.director.DirectorConfig;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/** Every caller is the default user of {@code etc/org.conpaas.director.cfg} until accounts exist (issue 3). */
@Component(service = Callers.class, configurationPid = "org.conpaas.director")
public class ConfiguredCallers implements Callers {
    private final String defaultUser;

    @Activate
    public ConfiguredCallers(DirectorConfig config) {
        this.defaultUser = config.defaultUser();
    }

    @Override
    public String defaultUser() {
        return defaultUser;
    }
}
