package org.conpaas.core.internal.bootstrap;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One-time tokens with which a new node downloads what it boots from. A token is good once, until it expires, and
 * only while its node is being launched: it is revoked when the node runs or is released. Only its SHA-256 is kept
 * (in memory: a director that restarts releases every node it was launching, so their tokens could not be used
 * anyway), so neither a heap dump nor a log shows a usable token.
 */
public final class BootstrapTokens {

    /** 256 bits of randomness: never guessed, so a wrong token needs no throttling. */
    private static final int TOKEN_BYTES = 32;
    /** A token is URL-safe base64 of {@value #TOKEN_BYTES} bytes; anything longer is not one of ours. */
    static final int MAX_TOKEN_LENGTH = 64;

    private record Issued(String nodeId, Instant expires) {
    }

    private final SecureRandom random = new SecureRandom();
    private final Clock clock;
    /** By token hash. */
    private final Map<String, Issued> issued = new ConcurrentHashMap<>();

    public BootstrapTokens(Clock clock) {
        this.clock = clock;
    }

    /** A new token for {@code nodeId}, good for {@code lifetime}; replaces any earlier one of the node. */
    public String issue(String nodeId, Duration lifetime) {
        revoke(nodeId);
        forgetExpired();
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        issued.put(hash(token), new Issued(nodeId, clock.instant().plus(lifetime)));
        return token;
    }

    /** The node the token was issued to, if it is valid; either way the token is used up. */
    public Optional<String> redeem(String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            return Optional.empty();
        }
        Issued found = issued.remove(hash(token));
        if (found == null || !clock.instant().isBefore(found.expires())) {
            return Optional.empty();
        }
        return Optional.of(found.nodeId());
    }

    /** Makes the node's token (if any) useless. */
    public void revoke(String nodeId) {
        issued.values().removeIf(i -> i.nodeId().equals(nodeId));
    }

    /** Tokens not yet used nor revoked (expired ones included until the next issue). */
    int outstanding() {
        return issued.size();
    }

    private void forgetExpired() {
        Instant now = clock.instant();
        issued.values().removeIf(i -> !now.isBefore(i.expires()));
    }

    private static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
