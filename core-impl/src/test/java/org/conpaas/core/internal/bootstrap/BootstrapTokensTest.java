package org.conpaas.core.internal.bootstrap;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.conpaas.core.internal.testing.MutableClock;
import org.junit.Test;

public class BootstrapTokensTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final BootstrapTokens tokens = new BootstrapTokens(clock);

    @Test
    public void aTokenIsGoodOnceForItsNode() {
        String token = tokens.issue("node-1", Duration.ofMinutes(15));
        assertEquals(43, token.length());
        assertEquals(Optional.of("node-1"), tokens.redeem(token));
        assertEquals(Optional.empty(), tokens.redeem(token));
    }

    @Test
    public void aTokenExpires() {
        String token = tokens.issue("node-1", Duration.ofSeconds(900));
        clock.advance(Duration.ofSeconds(900));
        assertEquals(Optional.empty(), tokens.redeem(token));
    }

    @Test
    public void revokingOrReissuingEndsTheNodesToken() {
        String first = tokens.issue("node-1", Duration.ofMinutes(15));
        String second = tokens.issue("node-1", Duration.ofMinutes(15));
        assertNotEquals(first, second);
        assertEquals(Optional.empty(), tokens.redeem(first));
        String other = tokens.issue("node-2", Duration.ofMinutes(15));
        tokens.revoke("node-1");
        assertEquals(Optional.empty(), tokens.redeem(second));
        assertEquals(Optional.of("node-2"), tokens.redeem(other));
        assertEquals(0, tokens.outstanding());
    }

    @Test
    public void malformedTokensAreNobodys() {
        tokens.issue("node-1", Duration.ofMinutes(15));
        assertEquals(Optional.empty(), tokens.redeem(null));
        assertEquals(Optional.empty(), tokens.redeem(""));
        assertEquals(Optional.empty(), tokens.redeem("x".repeat(10_000)));
    }
}
