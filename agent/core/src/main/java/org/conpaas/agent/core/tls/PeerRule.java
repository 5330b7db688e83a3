package org.conpaas.agent.core.tls;

import java.util.Objects;

/**
 * Who may call this agent: the director, or agents of the same application (same owner and application id as the
 * agent's own certificate). The certificate chain itself is validated against the trust store before this.
 */
public final class PeerRule {

    private final SubjectFields own;

    public PeerRule(SubjectFields own) {
        this.own = own;
    }

    /** Returns null when the peer is accepted, else the reason it is refused. */
    public String refusal(SubjectFields peer) {
        if ("director".equals(peer.role())) {
            return null;
        }
        if ("agent".equals(peer.role())) {
            if (own.userId() != null && own.applicationId() != null
                    && Objects.equals(own.userId(), peer.userId())
                    && Objects.equals(own.applicationId(), peer.applicationId())) {
                return null;
            }
            return "agent " + peer.commonName() + " belongs to another application";
        }
        return "role " + peer.role() + " may not call agents";
    }
}
