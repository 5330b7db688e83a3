package org.conpaas.cloud.openstack;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/** The configuration as the driver reads it: defaults, lists, bounds, and a password that never shows. */
public class OpenStackSettingsTest {

    private static final Map<String, Object> MINIMAL = Map.of("name", "lab", "authUrl",
            "https://keystone.example.org:5000/v3", "username", "conpaas", "password", "Very-Secret-1",
            "project", "paas", "image", "debian-12-conpaas", "flavor", "m1.small");

    @Test
    public void defaultsApplyAndThePasswordNeverShows() {
        OpenStackSettings s = OpenStackSettings.from(config(Map.of()));
        assertEquals(3, s.identityVersion());
        assertEquals("Default", s.userDomain());
        assertEquals("Default", s.projectDomain());
        assertEquals(List.of("default"), s.securityGroups());
        assertEquals(OpenStackSettings.FloatingIpMode.NONE, s.floatingIp());
        assertEquals(5555, s.agentPort());
        assertFalse("the owner defaults to this host's name", s.owner().isBlank());
        assertFalse(s.toString(), s.toString().contains("Very-Secret-1"));
        assertTrue(s.toString(), s.toString().contains("user conpaas@Default, project paas@Default"));
    }

    @Test
    public void securityGroupsMayBeOneCommaSeparatedValueAsInACfgFile() {
        OpenStackSettings s = OpenStackSettings.from(config(Map.of("securityGroups",
                new String[] {"default, conpaas-agent ,web"})));
        assertEquals(List.of("default", "conpaas-agent", "web"), s.securityGroups());
    }

    @Test
    public void badValuesAreRefusedWithWhatIsWrong() {
        assertRefused(Map.of("identityVersion", 4), "identityVersion");
        assertRefused(Map.of("floatingIp", "pool"), "floatingIpPool");
        assertRefused(Map.of("floatingIp", "sometimes"), "none, auto or pool");
        assertRefused(Map.of("authUrl", "ftp://keystone"), "http(s)");
        assertRefused(Map.of("password", ""), "password");
        assertRefused(Map.of("agentPort", 70000), "agentPort");
        assertRefused(Map.of("name", "no spaces"), "cloud name");
        assertRefused(Map.of("flavor", "x".repeat(300)), "flavor");
    }

    @Test
    public void keystoneV2SettingsSayTenant() {
        OpenStackSettings s = OpenStackSettings.from(config(Map.of("identityVersion", 2, "floatingIp", "auto")));
        assertTrue(s.toString(), s.toString().contains("(Keystone v2.0), user conpaas, tenant paas"));
        assertEquals(OpenStackSettings.FloatingIpMode.AUTO, s.floatingIp());
    }

    private static void assertRefused(Map<String, Object> values, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OpenStackSettings.from(config(values)));
        assertTrue(e.getMessage(), e.getMessage().contains(fragment));
    }

    /** A configuration as DS hands it: the given values, the rest the annotation's defaults. */
    private static OpenStackCloudConfig config(Map<String, Object> values) {
        Map<String, Object> all = new HashMap<>(MINIMAL);
        all.putAll(values);
        return (OpenStackCloudConfig) Proxy.newProxyInstance(OpenStackSettingsTest.class.getClassLoader(),
                new Class<?>[] {OpenStackCloudConfig.class}, (proxy, method, args) -> {
                    if (all.containsKey(method.getName())) {
                        return all.get(method.getName());
                    }
                    if (method.getDefaultValue() != null) {
                        return method.getDefaultValue();
                    }
                    if ("annotationType".equals(method.getName())) {
                        return OpenStackCloudConfig.class;
                    }
                    throw new IllegalStateException("no value for " + method.getName());
                });
    }
}
