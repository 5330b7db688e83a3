package org.conpaas.core.rest;

import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import javax.annotation.Priority;
import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.HttpMethod;
import javax.ws.rs.Priorities;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.PreMatching;
import javax.ws.rs.core.Cookie;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;

import org.apache.cxf.jaxrs.utils.JAXRSUtils;
import org.apache.cxf.message.Message;
import org.apache.cxf.security.transport.TLSSessionInfo;
import org.apache.cxf.transport.http.AbstractHTTPDestination;
import org.conpaas.api.AuthenticationException;
import org.conpaas.core.internal.security.PasswordLogin;
import org.conpaas.core.internal.security.UserCertificates;
import org.conpaas.core.internal.web.WebSessions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates every call of the API before it is matched to a resource (so unknown paths do not answer 404 to
 * strangers): a client certificate of the TLS connection (Jetty's {@code javax.servlet.request.X509Certificate},
 * which CXF hands on as {@link TLSSessionInfo}) is checked by {@link UserCertificates}; otherwise HTTP Basic
 * credentials by the password login (the accounts' check, the one behind the JAAS realm); otherwise the web console's
 * session cookie ({@link SessionResource}), where every method but GET, HEAD and OPTIONS must also carry the
 * session's {@code X-CSRF-Token} (403 without). Without any only
 * {@code GET /version} and {@code POST /users/register} are served; everything else answers 401 with a
 * {@code WWW-Authenticate} challenge. Credentials that are presented must be valid, also on the public endpoints. The node bootstrap endpoints
 * ({@link BootstrapResource}) are left to their one-time token.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public final class RestAuthentication implements ContainerRequestFilter {

    static final String CHALLENGE = "Basic realm=\"ConPaaS\"";
    static final String CREDENTIALS_REQUIRED =
            "authentication required: log in with HTTP Basic or a client certificate";
    static final String INVALID_PASSWORD = "invalid username or password";
    private static final Logger LOG = LoggerFactory.getLogger(RestAuthentication.class);

    static final String SESSION_EXPIRED = "your session has expired or was closed; log in again";
    static final String CSRF_REQUIRED =
            "a call that changes something needs the X-CSRF-Token header of its session (from POST or GET /session)";
    static final String CSRF_HEADER = "X-CSRF-Token";
    /** Sent by the web console: a 401 then carries no Basic challenge, so the browser shows no password dialog. */
    static final String CONSOLE_HEADER = "X-Requested-With";

    private final PasswordLogin passwords;
    private final UserCertificates certificates;
    private final Function<String, Set<String>> rolesOf;
    private final WebSessions sessions;

    public RestAuthentication(PasswordLogin passwords, UserCertificates certificates,
            Function<String, Set<String>> rolesOf) {
        this(passwords, certificates, rolesOf, WebSessions.defaults());
    }

    /** @param sessions the web console's login sessions, found by their cookie */
    public RestAuthentication(PasswordLogin passwords, UserCertificates certificates,
            Function<String, Set<String>> rolesOf, WebSessions sessions) {
        this.passwords = passwords;
        this.certificates = certificates;
        this.rolesOf = rolesOf;
        this.sessions = sessions;
    }

    PasswordLogin passwords() {
        return passwords;
    }

    WebSessions sessions() {
        return sessions;
    }

    boolean isAdmin(String user) {
        return rolesOf.apply(user).contains(org.conpaas.api.model.UserInfo.ROLE_ADMIN);
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (BootstrapResource.isBootstrap(path)) {
            return; // a booting node's one-time token, checked by the resource; a user's credentials count for nothing
        }
        if (isLogin(request.getMethod(), path)) {
            return; // the password is in the body, checked by SessionResource; an old cookie must not stand in the way
        }
        TLSSessionInfo tls = tls();
        X509Certificate[] chain = clientChain(tls);
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        Cookie cookie = request.getCookies().get(SessionResource.COOKIE);
        String user;
        String scheme;
        try {
            if (chain != null) {
                user = certificates.authenticate(chain);
                scheme = SecurityContext.CLIENT_CERT_AUTH;
            } else if (authorization != null) {
                user = basic(authorization);
                scheme = SecurityContext.BASIC_AUTH;
            } else if (cookie != null && !cookie.getValue().isEmpty()) {
                Optional<WebSessions.Session> session = sessions.use(cookie.getValue());
                if (session.isEmpty()) {
                    if (isPublic(request.getMethod(), path) || isSession(path)) {
                        return; // GET /session says "not logged in"; logging out of an ended session is fine
                    }
                    throw new AuthenticationException(SESSION_EXPIRED);
                }
                if (!SAFE_METHODS.contains(request.getMethod())
                        && !WebSessions.csrfMatches(session.get(), request.getHeaderString(CSRF_HEADER))) {
                    request.abortWith(Problems.response(403, CSRF_REQUIRED));
                    return;
                }
                user = session.get().username();
                if (rolesOf.apply(user).isEmpty()) {
                    // every live account has at least the role "user": this one was deleted since its login
                    sessions.closeAll(user);
                    throw new AuthenticationException(SESSION_EXPIRED);
                }
                scheme = SecurityContext.FORM_AUTH;
            } else if (isPublic(request.getMethod(), path) || isSession(path)) {
                return;
            } else {
                throw new AuthenticationException(CREDENTIALS_REQUIRED);
            }
        } catch (AuthenticationException e) {
            request.abortWith(authorization == null && (cookie != null || request.getHeaderString(CONSOLE_HEADER) != null)
                    ? Problems.response(401, e.getMessage()) : unauthorized(e.getMessage()));
            return;
        } catch (IllegalStateException e) {
            LOG.error("cannot check credentials", e);
            request.abortWith(Problems.response(503, "logins cannot be checked right now; try again later"));
            return;
        }
        boolean secure = tls != null || overHttps(request);
        request.setSecurityContext(new CallerSecurityContext(user, scheme, secure, rolesOf));
    }

    private String basic(String authorization) {
        String header = authorization.trim();
        int space = header.indexOf(' ');
        if (space < 0 || !header.substring(0, space).equalsIgnoreCase("Basic")) {
            throw new AuthenticationException("unsupported authorization scheme; use HTTP Basic");
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(space + 1).trim()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new AuthenticationException("malformed Basic credentials");
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            throw new AuthenticationException(INVALID_PASSWORD);
        }
        String username = decoded.substring(0, colon);
        char[] password = decoded.substring(colon + 1).toCharArray();
        try {
            if (!passwords.login(username, password)) {
                throw new AuthenticationException(INVALID_PASSWORD);
            }
        } finally {
            Arrays.fill(password, '\0');
        }
        return username;
    }

    private static final Set<String> SAFE_METHODS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    /** {@code POST /session}: a login, which carries its own credentials. */
    static boolean isLogin(String method, String path) {
        return HttpMethod.POST.equals(method) && isSession(path);
    }

    /** {@code /session}: open to anyone (GET says who is logged in, DELETE logs out whatever is left). */
    static boolean isSession(String path) {
        return RequestPaths.withoutOuterSlashes(path).equals("session");
    }

    static boolean isPublic(String method, String path) {
        String p = RequestPaths.withoutOuterSlashes(path);
        return (HttpMethod.GET.equals(method) && p.equals("version"))
                || (HttpMethod.POST.equals(method) && p.equals("users/register"));
    }

    static Response unauthorized(String detail) {
        return Response.fromResponse(Problems.response(401, detail))
                .header(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE).build();
    }

    /** Asks the servlet request where there is one: building the request's URI for its scheme costs more. */
    private static boolean overHttps(ContainerRequestContext request) {
        Message message = JAXRSUtils.getCurrentMessage();
        Object servletRequest = message == null ? null : message.get(AbstractHTTPDestination.HTTP_REQUEST);
        if (servletRequest instanceof HttpServletRequest http) {
            return http.isSecure();
        }
        return "https".equalsIgnoreCase(request.getUriInfo().getRequestUri().getScheme());
    }

    private static TLSSessionInfo tls() {
        Message message = JAXRSUtils.getCurrentMessage();
        return message == null ? null : message.get(TLSSessionInfo.class);
    }

    private static X509Certificate[] clientChain(TLSSessionInfo tls) {
        Certificate[] peer = tls == null ? null : tls.getPeerCertificates();
        if (peer == null || peer.length == 0) {
            return null;
        }
        return Arrays.stream(peer).filter(X509Certificate.class::isInstance).map(X509Certificate.class::cast)
                .toArray(X509Certificate[]::new);
    }
}
