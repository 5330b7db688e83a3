package org.conpaas.core.internal.accounts;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Remembers, for a few minutes, that a username and password were right, so that REST calls with HTTP Basic do not
 * pay a full Argon2 derivation (nor a database read) each time. It keeps only an HMAC-SHA256 of the pair under a
 * random key that lives in this process's memory, never the password. Entries are dropped when the password changes
 * or the user is deleted ({@link #forget}); a verification that was under way while that happened does not put its
 * now stale result back ({@link #generation}). At most {@link #MAX_ENTRIES} users are remembered: past that, new
 * pairs are simply checked the slow way each time.
 */
public class CredentialCache {
    static final Duration LIFETIME = Duration.ofMinutes(5);
    static final int MAX_ENTRIES = 10_000;

    private record Entry(byte[] mac, Instant expires) {
    }

    private final Clock clock;
    private final SecretKeySpec key;
    /** Getting and keying a Mac cost more than the HMAC of a few bytes itself, so each thread keeps one. */
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    /** Counts the {@link #forget} calls; guarded by {@code this} together with the writes to {@link #entries}. */
    private long forgets;

    public CredentialCache(Clock clock) {
        this.clock = clock;
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    /** Whether this pair was verified less than {@link #LIFETIME} ago (constant-time comparison). Lock-free. */
    public boolean matches(String username, String password) {
        Entry entry = entries.get(username);
        if (entry == null) {
            return false;
        }
        if (!clock.instant().isBefore(entry.expires())) {
            entries.remove(username, entry);
            return false;
        }
        return MessageDigest.isEqual(entry.mac(), mac(username, password));
    }

    /**
     * Taken before reading the user for a verification and handed to {@link #remember}, so that a {@link #forget}
     * in between (a password change or deletion committed meanwhile) keeps the result out of the cache.
     */
    public synchronized long generation() {
        return forgets;
    }

    /** Remembers a verified pair unless something was forgotten since {@code generation} or the cache is full. */
    public void remember(String username, String password, long generation) {
        byte[] mac = mac(username, password);
        Instant now = clock.instant();
        synchronized (this) {
            if (generation != forgets) {
                return;
            }
            if (entries.size() >= MAX_ENTRIES && !entries.containsKey(username)) {
                entries.values().removeIf(e -> !now.isBefore(e.expires()));
                if (entries.size() >= MAX_ENTRIES) {
                    return;
                }
            }
            entries.put(username, new Entry(mac, now.plus(LIFETIME)));
        }
    }

    public synchronized void forget(String username) {
        forgets++;
        entries.remove(username);
    }

    int size() {
        return entries.size();
    }

    private byte[] mac(String username, String password) {
        byte[] user = username.getBytes(StandardCharsets.UTF_8);
        byte[] pass = password.getBytes(StandardCharsets.UTF_8);
        Mac mac = macs.get();
        // length-prefixed, so ("ab", "c") and ("a", "bc") never give the same input
        mac.update(ByteBuffer.allocate(4).putInt(user.length).array());
        mac.update(user);
        return mac.doFinal(pass); // doFinal leaves the Mac reset, keyed as before
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
