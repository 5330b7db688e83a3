package org.conpaas.cloud.openstack;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * One OpenStack cloud (or an OpenStack-compatible one such as Synnefo), configured as a factory configuration
 * {@code org.conpaas.cloud.openstack-<name>.cfg}. A change restarts the driver; servers are kept.
 */
@ObjectClassDefinition(name = "ConPaaS OpenStack cloud",
        description = "Nodes are OpenStack servers booted with the director's user data (Keystone v3 or v2.0 password auth)")
public @interface OpenStackCloudConfig {

    @AttributeDefinition(description = "The cloud's name, as users select it; nodes are recorded under it")
    String name();

    @AttributeDefinition(description = "The Keystone URL, e.g. https://keystone.example.org:5000/v3 (identityVersion "
            + "2: the v2.0 URL)")
    String authUrl();

    @AttributeDefinition(description = "The Keystone API version: 3 (user and project in their domains) or 2 (v2.0, "
            + "user and tenant name: for clouds that speak no v3, such as Synnefo's Astakos)")
    int identityVersion() default 3;

    @AttributeDefinition(description = "The user to authenticate as")
    String username();

    @AttributeDefinition(type = AttributeType.PASSWORD, description = "The user's password (never logged or shown)")
    String password();

    @AttributeDefinition(description = "The user's domain (name); Keystone v3 only")
    String userDomain() default "Default";

    @AttributeDefinition(description = "The project (name) servers and volumes belong to (v2.0: the tenant name)")
    String project();

    @AttributeDefinition(description = "The project's domain (name); Keystone v3 only")
    String projectDomain() default "Default";

    @AttributeDefinition(description = "The region; empty: the catalog's only (or first) one")
    String region() default "";

    @AttributeDefinition(description = "The image the nodes boot: its id or its (unique) name")
    String image();

    @AttributeDefinition(description = "The flavor of the nodes: its id or its name")
    String flavor();

    @AttributeDefinition(description = "The network the nodes are attached to: its id or its name; empty: the "
            + "cloud's default")
    String network() default "";

    @AttributeDefinition(description = "The key pair installed on the nodes (for an administrator's ssh); empty: none")
    String keyPair() default "";

    @AttributeDefinition(description = "Security groups of the nodes (names); they must let the director reach the "
            + "agent port and users the services' ports")
    String[] securityGroups() default {"default"};

    @AttributeDefinition(description = "Public (floating) addresses: 'none' (the director reaches the nodes on their "
            + "fixed address), 'auto' (the cloud assigns one itself) or 'pool' (the driver allocates one from "
            + "floatingIpPool, attaches it, and releases it when the node ends). With 'auto' or 'pool' the director "
            + "dials the floating address", options = {
                    @org.osgi.service.metatype.annotations.Option(label = "none", value = "none"),
                    @org.osgi.service.metatype.annotations.Option(label = "auto", value = "auto"),
                    @org.osgi.service.metatype.annotations.Option(label = "pool", value = "pool")})
    String floatingIp() default "none";

    @AttributeDefinition(description = "The external network (id or name) floating addresses come from, for "
            + "floatingIp = pool")
    String floatingIpPool() default "";

    @AttributeDefinition(description = "The port the nodes' agents listen on (the image's default is 5555)")
    int agentPort() default 5555;

    @AttributeDefinition(description = "Who this director is, as the servers' conpaas_owner metadata: list() finds "
            + "only the servers that carry it. Empty: this host's name. Directors sharing a project need distinct "
            + "owners")
    String owner() default "";

    @AttributeDefinition(description = "Seconds an API call may take before it counts as failed")
    int requestTimeoutSeconds() default 60;

    @AttributeDefinition(description = "Seconds a server may take to become ACTIVE before its floating address is "
            + "attached, and a volume to attach or detach")
    int waitSeconds() default 300;
}
