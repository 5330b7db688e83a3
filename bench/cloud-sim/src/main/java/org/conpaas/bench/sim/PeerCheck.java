package org.conpaas.bench.sim;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * The agent's peer rule (docs/agent-protocol.md, "Peer checks"): the TLS layer has already checked the client
 * certificate against the node's trust store; the peer is accepted if it is the director ({@code OU=director}) or an
 * agent ({@code OU=agent}) of the same user and application.
 */
final class PeerCheck {
    private PeerCheck() {
    }

    static boolean allowed(SSLSession session, Properties identity) {
        Map<String, String> subject;
        try {
            subject = attributes(session.getPeerPrincipal().getName());
        } catch (SSLPeerUnverifiedException | InvalidNameException e) {
            return false;
        }
        String role = subject.get("OU");
        if ("director".equals(role)) {
            return true;
        }
        return "agent".equals(role)
                && identity.getProperty("conpaas.user.id", "").equals(subject.get("UID"))
                && identity.getProperty("conpaas.application.id", "").equals(subject.get("DC"));
    }

    private static Map<String, String> attributes(String dn) throws InvalidNameException {
        Map<String, String> out = new HashMap<>();
        for (Rdn rdn : new LdapName(dn).getRdns()) {
            String type = rdn.getType().toUpperCase();
            // UID may come back as its OID from the JDK's X.500 names
            out.put("0.9.2342.19200300.100.1.1".equals(type) ? "UID" : "0.9.2342.19200300.100.1.25".equals(type)
                    ? "DC" : type, String.valueOf(rdn.getValue()));
        }
        return out;
    }
}
