package org.conpaas.cloud.ec2;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.conpaas.api.InvalidInputException;
import org.junit.Test;

public class Ec2SettingsTest {

    private static final Map<String, String> VALID = Map.of("name", "aws", "imageId", "ami-0123456789abcdef0",
            "accessKeyId", "AKIAIOSFODNN7EXAMPLE", "secretAccessKey", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");

    private static Ec2Settings with(String key, String value) {
        Map<String, String> values = new HashMap<>(VALID);
        values.put(key, value);
        return Ec2Settings.from(ConfigValues.of(values));
    }

    @Test
    public void defaultsAndRoleInstanceTypes() {
        Ec2Settings s = with("roleInstanceTypes", "backend=m5.large,proxy = t3.micro");
        assertEquals("us-east-1", s.region());
        assertEquals(5555, s.agentPort());
        assertEquals("t3.small", s.instanceTypeOf("node"));
        assertEquals("m5.large", s.instanceTypeOf("backend"));
        assertEquals("t3.micro", s.instanceTypeOf("proxy"));
        assertFalse(s.publicAddresses());
        Map<String, String> chain = new HashMap<>(VALID);
        chain.put("accessKeyId", "");
        chain.put("secretAccessKey", "");
        assertTrue(Ec2Settings.from(ConfigValues.of(chain)).credentials().defaultChain());
    }

    @Test
    public void theSecretIsInNoStringOfTheSettings() {
        Ec2Settings s = with("sessionToken", "FwoGZXIvYXdzEJr//////////session");
        assertFalse(s.toString(), s.toString().contains("wJalrXUtnFEMI"));
        assertFalse(s.toString(), s.toString().contains("FwoGZXIv"));
        assertFalse(s.toString(), s.toString().contains("AKIAIOSFODNN7EXAMPLE"));
        assertTrue(s.toString(), s.toString().contains("static credentials"));
    }

    @Test
    public void aDriverWithAMalformedSettingIsAnUnavailableCloudNamingIt() {
        Map<String, String> values = new HashMap<>(VALID);
        values.put("imageId", "debian-12");
        Ec2CloudDriver driver = new Ec2CloudDriver(ConfigValues.of(values));
        try {
            assertEquals("aws", driver.name());
            assertEquals("cloud aws (EC2) is misconfigured: imageId 'debian-12' is malformed",
                    driver.unavailableReason());
            assertEquals("cloud aws (EC2) is misconfigured: imageId 'debian-12' is malformed",
                    assertThrows(org.conpaas.api.CloudException.class, driver::list).getMessage());
        } finally {
            driver.deactivate();
        }
        values.put("name", "no name!");
        assertThrows(InvalidInputException.class, () -> new Ec2CloudDriver(ConfigValues.of(values)));
    }

    @Test
    public void malformedValuesAreRefusedNamingTheSetting() {
        assertEquals("imageId", assertThrows(InvalidInputException.class, () -> with("imageId", "ubuntu"))
                .parameter());
        assertEquals("region", assertThrows(InvalidInputException.class, () -> with("region", "Mars 1"))
                .parameter());
        assertEquals("endpoint", assertThrows(InvalidInputException.class,
                () -> with("endpoint", "ftp://example.org")).parameter());
        assertEquals("endpoint", assertThrows(InvalidInputException.class,
                () -> with("endpoint", "https://user:pw@example.org")).parameter());
        assertEquals("accessKeyId", assertThrows(InvalidInputException.class, () -> with("secretAccessKey", ""))
                .parameter());
        assertEquals("roleInstanceTypes", assertThrows(InvalidInputException.class,
                () -> with("roleInstanceTypes", "backend")).parameter());
        assertEquals("agentPort", assertThrows(InvalidInputException.class, () -> with("agentPort", "70000"))
                .parameter());
        assertEquals("securityGroup", assertThrows(InvalidInputException.class,
                () -> with("createSecurityGroup", "true")).parameter());
        assertEquals("addressType", assertThrows(InvalidInputException.class, () -> with("addressType", "both"))
                .parameter());
        InvalidInputException secret = assertThrows(InvalidInputException.class,
                () -> with("secretAccessKey", "has a space"));
        assertFalse(secret.getMessage(), secret.getMessage().contains("has a space"));
    }
}
