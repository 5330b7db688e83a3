package org.conpaas.cloud.ec2;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.conpaas.api.InvalidInputException;

/**
 * An EC2 cloud's configuration, checked for form (the cloud checks the rest when the driver starts). Credentials
 * are kept out of {@link #toString()}: it goes into logs.
 */
record Ec2Settings(String name, String region, URI endpoint, Credentials credentials, String imageId,
        String instanceType, Map<String, String> roleInstanceTypes, String keyName, String securityGroup,
        boolean createSecurityGroup, List<Integer> servicePorts, String ingressCidr, String subnetId,
        boolean publicAddresses, int agentPort, String owner, String volumeType, Duration apiTimeout,
        int maxAttempts, String deploymentName) {

    /** Static credentials, or null fields for the SDK's default chain. */
    record Credentials(String accessKeyId, String secretAccessKey, String sessionToken) {
        static final Credentials DEFAULT_CHAIN = new Credentials(null, null, null);

        boolean defaultChain() {
            return accessKeyId == null;
        }

        @Override
        public String toString() {
            // not even the key id: credentials stay out of logs altogether
            return defaultChain() ? "the default credentials chain" : "static credentials";
        }
    }

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z0-9]+){1,4}");
    private static final Pattern AMI = Pattern.compile("ami-[0-9a-f]{8,17}");
    private static final Pattern INSTANCE_TYPE = Pattern.compile("[a-z0-9-]{1,16}\\.[a-z0-9-]{1,16}");
    private static final Pattern ROLE = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    private static final Pattern SUBNET = Pattern.compile("subnet-[0-9a-f]{8,17}");
    private static final Pattern GROUP = Pattern.compile("[A-Za-z0-9 ._:/()#,@\\[\\]+=&;{}!$*-]{1,255}");
    private static final Pattern KEY_ID = Pattern.compile("[A-Z0-9]{16,128}");
    private static final Pattern CIDR = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2}");
    private static final Pattern VOLUME_TYPE = Pattern.compile("standard|io1|io2|gp2|gp3|sc1|st1");
    private static final Pattern TAG_VALUE = Pattern.compile("[A-Za-z0-9 _.:/=+@-]{1,128}");

    static Ec2Settings from(Ec2CloudConfig c) {
        String name = required("name", c.name(), NAME);
        String region = required("region", c.region(), REGION);
        URI endpoint = endpoint(c.endpoint());
        Credentials credentials = credentials(c.accessKeyId(), c.secretAccessKey(), c.sessionToken());
        String image = required("imageId", c.imageId(), AMI);
        String type = required("instanceType", c.instanceType(), INSTANCE_TYPE);
        Map<String, String> roleTypes = new LinkedHashMap<>();
        for (String entry : c.roleInstanceTypes() == null ? new String[0] : c.roleInstanceTypes()) {
            int eq = entry.indexOf('=');
            if (eq < 0) {
                throw invalid("roleInstanceTypes", "'" + entry + "' is not role=instance type");
            }
            roleTypes.put(required("roleInstanceTypes", entry.substring(0, eq).trim(), ROLE),
                    required("roleInstanceTypes", entry.substring(eq + 1).trim(), INSTANCE_TYPE));
        }
        String keyName = optional("keyName", c.keyName(), GROUP);
        String group = optional("securityGroup", c.securityGroup(), GROUP);
        if (c.createSecurityGroup() && group == null) {
            throw invalid("securityGroup", "createSecurityGroup needs the group's name");
        }
        List<Integer> ports = c.servicePorts() == null ? List.of()
                : java.util.Arrays.stream(c.servicePorts()).boxed().toList();
        for (int port : ports) {
            port("servicePorts", port);
        }
        String cidr = required("ingressCidr", c.ingressCidr(), CIDR);
        String subnet = optional("subnetId", c.subnetId(), SUBNET);
        String addressType = blankToNull(c.addressType());
        if (addressType != null && !addressType.equals("private") && !addressType.equals("public")) {
            throw invalid("addressType", "must be private or public");
        }
        int agentPort = port("agentPort", c.agentPort());
        String owner = required("owner", c.owner(), TAG_VALUE);
        String volumeType = required("volumeType", c.volumeType(), VOLUME_TYPE);
        if (c.apiTimeoutSeconds() < 1 || c.apiTimeoutSeconds() > 600) {
            throw invalid("apiTimeoutSeconds", "must be 1-600");
        }
        if (c.maxAttempts() < 1 || c.maxAttempts() > 10) {
            throw invalid("maxAttempts", "must be 1-10");
        }
        String deployment = required("deploymentName", c.deploymentName(), TAG_VALUE);
        return new Ec2Settings(name, region, endpoint, credentials, image, type, Map.copyOf(roleTypes), keyName,
                group, c.createSecurityGroup(), ports, cidr, subnet, "public".equals(addressType), agentPort, owner,
                volumeType, Duration.ofSeconds(c.apiTimeoutSeconds()), c.maxAttempts(), deployment);
    }

    /** The instance type of a node of this role. */
    String instanceTypeOf(String role) {
        return roleInstanceTypes.getOrDefault(role, instanceType);
    }

    /** Every instance type this cloud launches (to check against the region). */
    List<String> allInstanceTypes() {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(instanceType),
                roleInstanceTypes.values().stream()).distinct().toList();
    }

    private static URI endpoint(String value) {
        String v = blankToNull(value);
        if (v == null) {
            return null;
        }
        try {
            URI uri = new URI(v);
            if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null
                    || uri.getUserInfo() != null) {
                throw invalid("endpoint", "must be an http(s) URL without user info");
            }
            return uri;
        } catch (java.net.URISyntaxException e) {
            throw invalid("endpoint", "is not a URL");
        }
    }

    private static Credentials credentials(String id, String secret, String token) {
        String keyId = blankToNull(id);
        String key = blankToNull(secret);
        if (keyId == null && key == null) {
            return Credentials.DEFAULT_CHAIN;
        }
        if (keyId == null || key == null) {
            throw invalid("accessKeyId", "and secretAccessKey go together (or both empty: the "
                    + "default credentials chain)");
        }
        if (!KEY_ID.matcher(keyId).matches()) {
            throw invalid("accessKeyId", "is not an access key id");
        }
        if (key.length() > 128 || key.chars().anyMatch(Character::isWhitespace)) {
            throw invalid("secretAccessKey", "is not a secret access key"); // never its value
        }
        String session = blankToNull(token);
        if (session != null && session.length() > 4096) {
            throw invalid("sessionToken", "is longer than 4096 characters");
        }
        return new Credentials(keyId, key, session);
    }

    private static int port(String field, int port) {
        if (port < 1 || port > 65535) {
            throw invalid(field, port + " is not a port");
        }
        return port;
    }

    private static String required(String field, String value, Pattern form) {
        String v = blankToNull(value);
        if (v == null) {
            throw invalid(field, "is required");
        }
        return checked(field, v, form);
    }

    private static String optional(String field, String value, Pattern form) {
        String v = blankToNull(value);
        return v == null ? null : checked(field, v, form);
    }

    private static String checked(String field, String v, Pattern form) {
        if (!form.matcher(v).matches()) {
            throw invalid(field, "'" + (v.length() > 64 ? v.substring(0, 64) + "..." : v) + "' is malformed");
        }
        return v;
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static InvalidInputException invalid(String field, String problem) {
        return new InvalidInputException(field, field + " " + problem);
    }
}
