package org.conpaas.core.internal.web;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import org.conpaas.core.internal.director.DirectorConfig;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;

/**
 * The web console's login sessions, in memory (a director restart logs everyone out, which is the safe side). A
 * session is found by the random id of its HttpOnly cookie and carries a second random value, the CSRF token, that
 * the page reads from the login answer and sends back in {@code X-CSRF-Token} with every state-changing call: a
 * page of another origin makes the browser send the cookie (SameSite does not separate ports of one host) but can
 * neither read nor guess the token. A session ends when unused for {@code sessionIdleSeconds}, after
 * {@code sessionMaxHours} in any case, or at logout. The map is bounded: expired sessions are swept at each login,
 * and a login beyond {@code maxSessions} open sessions is refused.
 */
@Component(service = WebSessions.class, configurationPid = "org.conpaas.director")
public final class WebSessions {

    /** A session as the REST layer sees it. */
    public record Session(String id, String username, String csrfToken, Instant created, Instant expires) {
    }

    /** What the console needs to know before anyone logs in. */
    public record Settings(Duration idle, Duration max, int maxSessions, boolean selfRegistration) {
        static Settings of(WebSessionsConfig sessions, DirectorConfig director) {
            return new Settings(Duration.ofSeconds(Math.max(1, sessions.sessionIdleSeconds())),
                    Duration.ofHours(Math.max(1, sessions.sessionMaxHours())), Math.max(1, sessions.maxSessions()),
                    director.selfRegistration());
        }
    }

    /** Thrown when a login would exceed the bound of open sessions. */
    public static final class TooManySessions extends RuntimeException {
        TooManySessions(int max) {
            super("too many console sessions are open (" + max + "); try again later");
        }
    }

    private static final class Entry {
        final String username;
        final String csrfToken;
        final Instant created;
        volatile Instant lastUsed;

        Entry(String username, String csrfToken, Instant created) {
            this.username = username;
            this.csrfToken = csrfToken;
            this.created = created;
            this.lastUsed = created;
        }
    }

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Entry> sessions = new ConcurrentHashMap<>();
    private final AtomicReference<Settings> settings;
    private final Clock clock;

    @Activate
    public WebSessions(WebSessionsConfig config, DirectorConfig director) {
        this(Settings.of(config, director), Clock.systemUTC());
    }

    public WebSessions(Settings settings, Clock clock) {
        this.settings = new AtomicReference<>(settings);
        this.clock = clock;
    }

    /** Defaults, self-registration off: for a REST layer published without the component (tests). */
    public static WebSessions defaults() {
        return new WebSessions(new Settings(Duration.ofMinutes(30), Duration.ofHours(12), 10000, false),
                Clock.systemUTC());
    }

    @Modified
    void modified(WebSessionsConfig config, DirectorConfig director) {
        settings.set(Settings.of(config, director));
    }

    public Settings settings() {
        return settings.get();
    }

    /** Opens a session for a user whose password was just checked. */
    public Session open(String username) {
        Instant now = clock.instant();
        sessions.entrySet().removeIf(e -> expired(e.getValue(), now));
        int max = settings.get().maxSessions();
        if (sessions.size() >= max) {
            throw new TooManySessions(max);
        }
        String id = randomToken();
        Entry entry = new Entry(username, randomToken(), now);
        sessions.put(id, entry);
        return view(id, entry);
    }

    /** The live session of this cookie value, marked as used now; empty when unknown or expired. */
    public Optional<Session> use(String id) {
        if (id == null || id.isEmpty()) {
            return Optional.empty();
        }
        Entry entry = sessions.get(id);
        if (entry == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (expired(entry, now)) {
            sessions.remove(id, entry);
            return Optional.empty();
        }
        entry.lastUsed = now;
        return Optional.of(view(id, entry));
    }

    /** Ends a session (logout); unknown ids are ignored. */
    public void close(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }

    /** Ends every session of a user (the account was deleted or its password changed). */
    public void closeAll(String username) {
        sessions.values().removeIf(e -> e.username.equals(username));
    }

    /** Whether {@code presented} is the session's CSRF token (compared in constant time). */
    public static boolean csrfMatches(Session session, String presented) {
        return presented != null && MessageDigest.isEqual(session.csrfToken().getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                presented.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    int size() {
        return sessions.size();
    }

    private boolean expired(Entry entry, Instant now) {
        Settings s = settings.get();
        return !now.isBefore(entry.lastUsed.plus(s.idle())) || !now.isBefore(entry.created.plus(s.max()));
    }

    private Session view(String id, Entry entry) {
        Settings s = settings.get();
        Instant idleEnd = entry.lastUsed.plus(s.idle());
        Instant maxEnd = entry.created.plus(s.max());
        return new Session(id, entry.username, entry.csrfToken, entry.created,
                idleEnd.isBefore(maxEnd) ? idleEnd : maxEnd);
    }

    /** 256 random bits, URL-safe: a cookie value and a header value without escaping. */
    private String randomToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
