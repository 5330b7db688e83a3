package org.conpaas.core.shell;

import org.conpaas.api.AuthenticationException;
import org.conpaas.api.director.SessionUser;
import org.osgi.service.component.annotations.Component;

/** {@link SessionUser} for service bundles' commands: the JAAS subject of the Karaf session calling it. */
@Component(service = SessionUser.class)
public class KarafSessionUser implements SessionUser {

    @Override
    public String name() {
        String name = ShellUser.SESSION.name();
        if (name == null) {
            throw new AuthenticationException("no user is logged in to this shell session");
        }
        return name;
    }
}
