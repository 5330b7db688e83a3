package org.conpaas.core.internal.web;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The browser-session settings of {@code etc/org.conpaas.director.cfg}; changes apply live, to open sessions too. */
@ObjectClassDefinition(name = "ConPaaS web sessions", description = "Sessions of the web console (POST /api/v1/session)")
public @interface WebSessionsConfig {

    @AttributeDefinition(description = "Seconds a console session may stay unused before it expires")
    int sessionIdleSeconds() default 1800;

    @AttributeDefinition(description = "Hours a console session lasts at most, used or not")
    int sessionMaxHours() default 12;

    @AttributeDefinition(description = "Most console sessions open at once (new logins beyond it get 503)")
    int maxSessions() default 10000;
}
