package org.conpaas.core.rest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.conpaas.core.internal.security.CertificateZip;
import org.conpaas.core.internal.security.KeyPairAndCertificate;
import org.conpaas.core.internal.security.UserCertificateService;
import org.conpaas.core.rest.RestHarness.Reply;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** Who may call the API: HTTP Basic (the accounts' password check), client certificates over HTTPS, or nobody. */
public class RestAuthenticationTest {

    private FakeDirector director;
    private RestHarness rest;

    @Before
    public void start() throws Exception {
        director = new FakeDirector();
        rest = new RestHarness(director, "alice");
    }

    @After
    public void stop() throws Exception {
        rest.close();
    }

    private static void assertUnauthorized(Reply reply, String detail) throws Exception {
        assertEquals(reply.body(), 401, reply.status());
        assertTrue(reply.contentType(), reply.contentType().startsWith("application/problem+json"));
        JsonNode problem = reply.json();
        assertEquals("Unauthorized", problem.get("title").asText());
        assertEquals(detail, problem.get("detail").asText());
        assertEquals("Basic realm=\"ConPaaS\"", reply.raw().headers().firstValue("WWW-Authenticate").orElse(""));
    }

    @Test
    public void withoutCredentialsOnlyTheVersionAnswers() throws Exception {
        assertEquals(200, rest.anonymous("GET", "/api/v1/version").status());
        for (String path : List.of("/api/v1/applications", "/api/v1/service-types", "/api/v1/resources",
                "/api/v1/no-such-thing")) {
            assertUnauthorized(rest.anonymous("GET", path), RestAuthentication.CREDENTIALS_REQUIRED);
        }
        assertUnauthorized(rest.anonymous("POST", "/api/v1/applications"), RestAuthentication.CREDENTIALS_REQUIRED);
        assertUnauthorized(rest.anonymous("POST", "/api/v1/users/me/certificate"),
                RestAuthentication.CREDENTIALS_REQUIRED);
        assertTrue(director.users.isEmpty());
        // the OpenAPI document stays public
        assertEquals(200, rest.anonymous("GET", "/api/openapi.json").status());
        assertTrue(RestAuthentication.isPublic("POST", "users/register"));
        assertTrue(RestAuthentication.isPublic("GET", "/version"));
        assertFalse(RestAuthentication.isPublic("POST", "version"));
        assertFalse(RestAuthentication.isPublic("GET", "users/register"));
    }

    @Test
    public void basicCredentialsActAsTheirUser() throws Exception {
        Reply created = rest.post("/api/v1/applications", "{\"name\":\"shop\"}");
        assertEquals(created.body(), 201, created.status());
        assertEquals("alice", created.json().get("owner").asText());
        Reply asRoot = rest.withAuthorization(RestHarness.basic("root", RestHarness.password("root")), "GET",
                "/api/v1/resources");
        assertEquals(200, asRoot.status());
        assertEquals(List.of("alice", "root"), director.users);
    }

    @Test
    public void aWrongPasswordAndAnUnknownUserGetTheSameAnswer() throws Exception {
        assertUnauthorized(rest.withAuthorization(RestHarness.basic("alice", "wrong"), "GET", "/api/v1/resources"),
                "invalid username or password");
        assertUnauthorized(rest.withAuthorization(RestHarness.basic("mallory", "alice-secret"), "GET",
                "/api/v1/resources"), "invalid username or password");
        // credentials that are presented must be valid, also on a public endpoint
        assertUnauthorized(rest.withAuthorization(RestHarness.basic("alice", "wrong"), "GET", "/api/v1/version"),
                "invalid username or password");
        assertUnauthorized(rest.withAuthorization("Basic %%%", "GET", "/api/v1/resources"),
                "malformed Basic credentials");
        assertUnauthorized(rest.withAuthorization("Bearer abc", "GET", "/api/v1/resources"),
                "unsupported authorization scheme; use HTTP Basic");
        assertTrue(director.users.isEmpty());
    }

    @Test
    public void theCertificateEndpointAnswersAZipAttachment() throws Exception {
        Reply zip = rest.send("POST", "/api/v1/users/me/certificate", null, null);
        assertEquals(zip.body(), 200, zip.status());
        assertEquals("application/zip", zip.contentType());
        assertEquals("attachment; filename=\"certs.zip\"",
                zip.raw().headers().firstValue("Content-Disposition").orElse(""));
        assertEquals("certificate of alice", zip.body());
    }

    @Test
    public void aClientCertificateOverHttpsActsAsItsUser() throws Exception {
        byte[] zip = rest.certificates.issueZip(rest.accounts.find("alice").orElseThrow());
        Reply resources = rest.withCertificate(zip, "GET", "/api/v1/resources");
        assertEquals(resources.body(), 200, resources.status());
        assertEquals(List.of("alice"), director.users);

        // HTTPS without a certificate still allows the public endpoint and asks the others to log in
        CertificateZip parts = CertificateZip.read(zip);
        HttpClient noCertificate = RestHarness.clientWith(null, null, parts.ca());
        assertEquals(200, RestHarness.send(noCertificate, rest.secureBase, null, "GET", "/api/v1/version").status());
        assertUnauthorized(RestHarness.send(noCertificate, rest.secureBase, null, "GET", "/api/v1/resources"),
                RestAuthentication.CREDENTIALS_REQUIRED);

        rest.accounts.delete("alice");
        assertUnauthorized(rest.withCertificate(zip, "GET", "/api/v1/resources"), "user alice no longer exists");
    }

    @Test
    public void anExpiredCertificateIsRefusedByTheTlsLayer() throws Exception {
        Instant now = Instant.now();
        KeyPairAndCertificate expired = rest.pki.issue(UserCertificateService.subject("alice"),
                now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1)),
                new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth}, null);
        HttpClient client = RestHarness.clientWith(expired.keyPair().getPrivate(), expired.certificate(),
                rest.pki.caCertificate());
        assertThrows(IOException.class,
                () -> RestHarness.send(client, rest.secureBase, null, "GET", "/api/v1/resources"));
        assertTrue(director.users.isEmpty());
    }
}
