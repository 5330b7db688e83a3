package org.conpaas.logging.masking;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.Test;

public class SecretMaskerTest {

    private static final String PASSWORD = "s3cr3t-Pa55word";
    private static final String BASIC = Base64.getEncoder()
            .encodeToString(("bob:" + PASSWORD).getBytes(StandardCharsets.UTF_8));

    private static void assertMasked(String text, String... secrets) {
        String masked = SecretMasker.mask(text);
        for (String secret : secrets) {
            assertFalse("'" + secret + "' left in: " + masked, masked.contains(secret));
        }
        assertTrue("no mask in: " + masked, masked.contains(SecretMasker.MASK));
    }

    @Test
    public void jettyRequestDumpLosesTheAuthorizationHeader() {
        String dump = "REQUEST for //127.0.0.1:8181/api/v1/applications on HttpChannelOverHttp@1\n"
                + "GET //127.0.0.1:8181/api/v1/applications HTTP/1.1\nHost: 127.0.0.1:8181\n"
                + "Authorization: Basic " + BASIC + "\r\nUser-Agent: curl/7.88.1\n";
        String masked = SecretMasker.mask(dump);
        assertFalse(masked, masked.contains(BASIC));
        assertTrue(masked, masked.contains("Authorization: ***"));
        assertTrue("the rest stays readable: " + masked, masked.contains("User-Agent: curl/7.88.1"));
    }

    @Test
    public void jettyBufferDumpsAreMaskedWhole() {
        String dump = "parseNext s=CONTENT HeapByteBuffer@174226ea[p=207,l=277,c=8192,r=70]={POST /api... 70\\r\\n"
                + "\\r\\n<<<{\"name\":\"bob\",\"email\":\"bo...rd\":\"bobs secret pass\"}>>>\\x00\\x00...\\x00}";
        String masked = SecretMasker.mask(dump);
        assertEquals("parseNext s=CONTENT HeapByteBuffer@174226ea[p=207,l=277,c=8192,r=70]={***}", masked);
        assertEquals(masked, SecretMasker.mask(masked));
        assertMasked("onContent Content@7b{HeapByteBufferR@24fd191d[p=0,l=9,c=9,r=9]={<<<sic Ym9iOnM=\\r\\n>>>}}",
                "Ym9iOnM");
    }

    @Test
    public void headerMapsAndLowerCaseHeadersAreMasked() {
        assertMasked("Request Headers: {Accept=[*/*], Authorization=[Basic " + BASIC + "], Host=[x]}", BASIC);
        assertMasked("authorization: basic " + BASIC, BASIC);
        assertMasked("Proxy-Authorization: Bearer abc.def.ghi-token", "abc.def.ghi-token");
        assertMasked("header authorization=Digest username=\"bob\", response=\"0123abcd\"", "0123abcd");
        assertMasked("Cookie: JSESSIONID=node0abc123; other=1", "node0abc123");
        assertMasked("Set-Cookie: id=deadbeef1234; Path=/", "deadbeef1234");
    }

    @Test
    public void schemeCredentialsAreMaskedWithoutAHeaderName() {
        assertMasked(">> \"Basic " + BASIC + "[\\r][\\n]\"", BASIC);
        assertMasked("using Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig", "eyJhbGciOiJIUzI1NiJ9");
    }

    @Test
    public void configurationDictionariesLoseTheirPasswords() {
        String dictionary = "{org.ops4j.pax.web.ssl.keystore.password=Kp4ss, org.ops4j.pax.web.ssl.key.password=K2,"
                + " org.osgi.service.http.port=8181, service.pid=org.ops4j.pax.web}";
        String masked = SecretMasker.mask(dictionary);
        assertFalse(masked, masked.contains("Kp4ss") || masked.contains("K2,"));
        assertTrue("other keys stay: " + masked, masked.contains("org.osgi.service.http.port=8181"));
        assertMasked("   org.ops4j.pax.web.ssl.truststore.password = tr0ub4dor", "tr0ub4dor");
        assertMasked("hostKeyPassword: hunter2", "hunter2");
        assertMasked("api_key=AKIA123 access-key: zz9", "AKIA123", "zz9");
        assertMasked("secretKey=\"abc\" token='xyz'", "abc", "xyz");
    }

    @Test
    public void jsonValuesWithSpacesAreMaskedWhole() {
        assertMasked("{\"name\":\"bob\",\"password\":\"a long \\\"quoted\\\" secret\"}", "long", "quoted", "secret\"");
        String masked = SecretMasker.mask("{\"name\":\"bob\",\"password\": \"x y\"}");
        assertTrue(masked, masked.contains("\"name\":\"bob\""));
    }

    @Test
    public void commandLineOptionsAreMasked() {
        assertMasked("cps:user-add --admin --password 'a long secret' carol c@example.org", "long secret");
        assertMasked("cps:user-password --password=hunter22 bob", "hunter22");
        assertMasked("keytool --store-password \"p w\" -list", "p w");
    }

    @Test
    public void shellCommandLinesWithPositionalSecretsAreMasked() {
        assertMasked("Executing command: 'config:property-set password Itest-Cfg-S3cret'", "Itest-Cfg-S3cret");
        assertMasked("Command: 'config:property-set -p org.ops4j.pax.web org.ops4j.pax.web.ssl.keystore.password "
                + "\"k s p\"' returned 'null'", "k s p");
        assertMasked("Executing command: 'jaas:user-add bob bobs-Pa55'", "bobs-Pa55");
        assertMasked("Executing command: 'ssh:ssh -l karaf -P hunter22 localhost'", "hunter22");
        String plain = "Executing command: 'config:property-set http.port 8181'";
        assertSame(plain, SecretMasker.mask(plain));
    }

    @Test
    public void urlUserInfoAndPrivateKeysAreMasked() {
        assertMasked("fetching https://bob:" + PASSWORD + "@repo.example.org/x", PASSWORD);
        String pem = "key:\n-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49\nAwEHBG0wawIBAQQg\n"
                + "-----END PRIVATE KEY-----\ncert follows";
        String masked = SecretMasker.mask(pem);
        assertFalse(masked, masked.contains("MIGHAgEAMBMGByqGSM49AgEGCCqGSM49"));
        assertTrue(masked, masked.contains("-----BEGIN PRIVATE KEY-----***-----END PRIVATE KEY-----\ncert follows"));
        assertMasked("-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBn truncated", "MHcCAQEEIBn");
    }

    @Test
    public void ordinaryMessagesAreLeftAlone() {
        String plain = "service hello of application shop is RUNNING on 3 nodes (127.0.1.2:5555)";
        assertSame(plain, SecretMasker.mask(plain));
        String noValue = "user bob changed their password";
        assertSame(noValue, SecretMasker.mask(noValue));
        assertEquals("first start: created the administrator 'admin'; its password is in /x/admin-password.txt",
                SecretMasker.mask("first start: created the administrator 'admin'; its password is in "
                        + "/x/admin-password.txt"));
        assertSame(null, SecretMasker.mask(null));
    }

    @Test
    public void maskingIsIdempotent() {
        String once = SecretMasker.mask("Authorization: Basic " + BASIC + " password=" + PASSWORD);
        assertEquals(once, SecretMasker.mask(once));
    }
}
