package org.conpaas.core.rest;

import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.Set;
import java.util.function.Function;

import javax.annotation.Priority;
import javax.ws.rs.HttpMethod;
import javax.ws.rs.Priorities;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.PreMatching;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;

import org.apache.cxf.jaxrs.utils.JAXRSUtils;
import org.apache.cxf.message.Message;
import org.apache.cxf.security.transport.TLSSessionInfo;
import org.conpaas.api.AuthenticationException;
import org.conpaas.core.internal.security.PasswordLogin;
import org.conpaas.core.internal.security.UserCertificates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates every call of the API before it is matched to a resource (so unknown paths do not answer 404 to
 * strangers): a client certificate of the TLS connection (Jetty's {@code javax.servlet.request.X509Certificate},
 * which CXF hands on as {@link TLSSessionInfo}) is checked by {@link UserCertificates}; otherwise HTTP Basic
 * credentials by the password login (the accounts' check, the one behind the JAAS realm). Without either only
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

    private final PasswordLogin passwords;
    private final UserCertificates certificates;
    private final Function<String, Set<String>> rolesOf;

    public RestAuthentication(PasswordLogin passwords, UserCertificates certificates,
            Function<String, Set<String>> rolesOf) {
        this.passwords = passwords;
        this.certificates = certificates;
        this.rolesOf = rolesOf;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (BootstrapResource.isBootstrap(request.getUriInfo().getPath())) {
            return; // a booting node's one-time token, checked by the resource; a user's credentials count for nothing
        }
        TLSSessionInfo tls = tls();
        X509Certificate[] chain = clientChain(tls);
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        String user;
        String scheme;
        try {
            if (chain != null) {
                user = certificates.authenticate(chain);
                scheme = SecurityContext.CLIENT_CERT_AUTH;
            } else if (authorization != null) {
                user = basic(authorization);
                scheme = SecurityContext.BASIC_AUTH;
            } else if (isPublic(request.getMethod(), request.getUriInfo().getPath())) {
                return;
            } else {
                throw new AuthenticationException(CREDENTIALS_REQUIRED);
            }
        } catch (AuthenticationException e) {
            request.abortWith(unauthorized(e.getMessage()));
            return;
        } catch (IllegalStateException e) {
            LOG.error("cannot check credentials", e);
            request.abortWith(Problems.response(503, "logins cannot be checked right now; try again later"));
            return;
        }
        boolean secure = tls != null || "https".equalsIgnoreCase(request.getUriInfo().getRequestUri().getScheme());
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

    static boolean isPublic(String method, String path) {
        String p = RequestPaths.withoutOuterSlashes(path);
        return (HttpMethod.GET.equals(method) && p.equals("version"))
                || (HttpMethod.POST.equals(method) && p.equals("users/register"));
    }

    static Response unauthorized(String detail) {
        return Response.fromResponse(Problems.response(401, detail))
                .header(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE).build();
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
