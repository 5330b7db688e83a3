package org.conpaas.agent.core.tls;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

/** The attributes of a certificate subject the peer rule looks at: CN, OU, O, UID, DC. */
public record SubjectFields(String commonName, String role, String userId, String applicationId) {

    private static final Map<String, String> OIDS = Map.of(
            "0.9.2342.19200300.100.1.1", "UID",
            "0.9.2342.19200300.100.1.25", "DC");

    public static SubjectFields of(X500Principal subject) {
        Map<String, String> values = new HashMap<>();
        try {
            for (Rdn rdn : new LdapName(subject.getName(X500Principal.RFC2253, OIDS)).getRdns()) {
                values.putIfAbsent(rdn.getType().toUpperCase(Locale.ROOT), String.valueOf(rdn.getValue()));
            }
        } catch (InvalidNameException e) {
            throw new IllegalArgumentException("unreadable certificate subject " + subject, e);
        }
        return new SubjectFields(values.get("CN"), values.get("OU"), values.get("UID"), values.get("DC"));
    }
}
