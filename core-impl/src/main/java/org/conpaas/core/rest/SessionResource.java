package org.conpaas.core.rest;

import java.time.Instant;
import java.util.Arrays;

import javax.ws.rs.Consumes;
import javax.ws.rs.CookieParam;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import javax.ws.rs.core.UriInfo;

import org.conpaas.api.AuthenticationException;
import org.conpaas.core.internal.web.WebSessions;

/**
 * Login sessions of the web console: {@code POST} checks a password (the same check as HTTP Basic, throttle
 * included) and answers with an HttpOnly, SameSite=Strict cookie and the session's CSRF token; {@code GET} tells
 * the page whether it is logged in (and whether self-registration is open, so the login page can offer it);
 * {@code DELETE} logs out. {@link RestAuthentication} authenticates later calls by the cookie and refuses
 * state-changing ones without the token.
 */
@Path("session")
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {

    public static final String COOKIE = "conpaas_session";

    /** {@code {username, password}}. */
    public record Login(String username, String password) {
    }

    /**
     * The caller's session: {@code csrfToken} is to be sent as {@code X-CSRF-Token} with every call that changes
     * something; absent for callers using Basic or a certificate, and everything but {@code selfRegistration} is
     * absent when nobody is logged in.
     */
    public record SessionInfo(boolean authenticated, String username, Boolean admin, String csrfToken,
            Instant expires, boolean selfRegistration) {
    }

    private final RestAuthentication authentication;

    @Context
    private SecurityContext security;

    public SessionResource(RestAuthentication authentication) {
        this.authentication = authentication;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ApiDoc(value = "Log in with a password: sets the session cookie (HttpOnly, SameSite=Strict) and answers the "
            + "session's CSRF token", status = 201, returns = SessionInfo.class)
    public Response login(Login body, @Context UriInfo uri) {
        String username = Requests.required(body == null ? null : body.username(), "username");
        String password = Requests.required(body.password(), "password");
        if (username.length() > 256 || password.length() > 1024) {
            throw new AuthenticationException(RestAuthentication.INVALID_PASSWORD);
        }
        char[] chars = password.toCharArray();
        try {
            if (!authentication.passwords().login(username, chars)) {
                throw new AuthenticationException(RestAuthentication.INVALID_PASSWORD);
            }
        } finally {
            Arrays.fill(chars, '\0');
        }
        WebSessions sessions = authentication.sessions();
        WebSessions.Session session;
        try {
            session = sessions.open(username);
        } catch (WebSessions.TooManySessions e) {
            return Problems.response(503, e.getMessage());
        }
        boolean secure = "https".equalsIgnoreCase(uri.getRequestUri().getScheme());
        return Response.status(201).header("Set-Cookie", cookie(session.id(), secure, -1))
                .header("Cache-Control", "no-store")
                .entity(info(session, authentication.isAdmin(username))).build();
    }

    @GET
    @ApiDoc("Whether the caller is logged in, as whom, with the session's CSRF token; and whether anyone may "
            + "register an account")
    public Response current(@CookieParam(COOKIE) String cookie) {
        WebSessions sessions = authentication.sessions();
        boolean open = sessions.settings().selfRegistration();
        SessionInfo info;
        java.util.Optional<WebSessions.Session> session = sessions.use(cookie);
        if (session.isPresent()) {
            info = info(session.get(), authentication.isAdmin(session.get().username()));
        } else if (security != null && security.getUserPrincipal() != null) {
            String user = security.getUserPrincipal().getName();
            info = new SessionInfo(true, user, authentication.isAdmin(user), null, null, open);
        } else {
            info = new SessionInfo(false, null, null, null, null, open);
        }
        return Response.ok(info).header("Cache-Control", "no-store").build();
    }

    @DELETE
    @ApiDoc(value = "Log out: ends the session and clears its cookie", status = 204)
    public Response logout(@CookieParam(COOKIE) String cookie, @Context UriInfo uri) {
        authentication.sessions().close(cookie);
        boolean secure = "https".equalsIgnoreCase(uri.getRequestUri().getScheme());
        return Response.noContent().header("Set-Cookie", cookie("", secure, 0)).build();
    }

    private SessionInfo info(WebSessions.Session session, boolean admin) {
        return new SessionInfo(true, session.username(), admin, session.csrfToken(), session.expires(),
                authentication.sessions().settings().selfRegistration());
    }

    /** The cookie only for the API (the console's pages need none), never readable by scripts. */
    static String cookie(String value, boolean secure, int maxAge) {
        return COOKIE + "=" + value + "; Path=" + RestServers.PUBLIC_API_BASE + "; HttpOnly; SameSite=Strict"
                + (secure ? "; Secure" : "") + (maxAge >= 0 ? "; Max-Age=" + maxAge : "");
    }
}
