package org.conpaas.agent.core.tls;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;

import javax.security.auth.x500.X500Principal;
import org.junit.Test;

public class PeerRuleTest {

    private final PeerRule rule = new PeerRule(
            SubjectFields.of(new X500Principal("CN=node-1, OU=agent, O=ConPaaS, UID=alice, DC=42")));

    @Test
    public void readsTheSubjectFields() {
        SubjectFields fields = SubjectFields.of(new X500Principal("CN=node-7,OU=agent,O=ConPaaS,UID=bob,DC=9"));
        assertEquals(new SubjectFields("node-7", "agent", "bob", "9"), fields);
    }

    @Test
    public void acceptsTheDirectorAndAgentsOfTheSameApplication() {
        assertNull(rule.refusal(SubjectFields.of(new X500Principal("CN=director, OU=director, O=ConPaaS"))));
        assertNull(rule.refusal(SubjectFields.of(new X500Principal("CN=node-2, OU=agent, O=ConPaaS, UID=alice, DC=42"))));
    }

    @Test
    public void refusesOtherApplicationsOwnersAndRoles() {
        assertNotNull(rule.refusal(SubjectFields.of(new X500Principal("CN=node-3, OU=agent, O=ConPaaS, UID=alice, DC=43"))));
        assertNotNull(rule.refusal(SubjectFields.of(new X500Principal("CN=node-4, OU=agent, O=ConPaaS, UID=eve, DC=42"))));
        assertNotNull(rule.refusal(SubjectFields.of(new X500Principal("CN=alice, OU=user, O=ConPaaS, UID=alice, DC=42"))));
        assertNotNull(rule.refusal(SubjectFields.of(new X500Principal("CN=x, O=ConPaaS"))));
    }
}
