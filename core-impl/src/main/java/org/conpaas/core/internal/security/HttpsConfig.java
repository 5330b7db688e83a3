package org.conpaas.core.internal.security;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** {@code etc/org.conpaas.https.cfg}: the REST API's HTTPS connector. Its address is pax-web's listening address. */
@ObjectClassDefinition(name = "ConPaaS HTTPS", description = "HTTPS of the director's REST API. A change applies "
        + "at once: it is written into pax-web's configuration, and pax-web restarts Jetty with it (requests in "
        + "flight are cut; the director itself keeps running)")
public @interface HttpsConfig {

    @AttributeDefinition(description = "Serve the REST API over HTTPS with the director's certificate")
    boolean enabled() default true;

    @AttributeDefinition(description = "TCP port of HTTPS")
    int port() default 8443;

    @AttributeDefinition(description = "A host name or address clients use besides 127.0.0.1 and localhost; it is "
            + "put into the server certificate")
    String hostName() default "";
}
