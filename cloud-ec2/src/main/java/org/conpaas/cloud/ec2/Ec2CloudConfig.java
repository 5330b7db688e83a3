package org.conpaas.cloud.ec2;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * One EC2 cloud, configured as a factory configuration {@code org.conpaas.cloud.ec2-<name>.cfg}; several may exist at
 * once (regions, accounts).
 */
@ObjectClassDefinition(name = "ConPaaS EC2 cloud",
        description = "Nodes as Amazon EC2 instances (or of an EC2-compatible API). Every change is checked against "
                + "the cloud at once; a configuration the cloud refuses leaves the cloud listed as unavailable with "
                + "the reason")
public @interface Ec2CloudConfig {

    @AttributeDefinition(description = "The cloud's name, as users select it; nodes are recorded under it and its "
            + "machines tagged with it")
    String name();

    @AttributeDefinition(description = "The AWS region, e.g. eu-west-1")
    String region() default "us-east-1";

    @AttributeDefinition(description = "An endpoint URL replacing the region's (an EC2-compatible API, a VPC "
            + "endpoint); empty: the region's own")
    String endpoint() default "";

    @AttributeDefinition(description = "Access key id; empty (with the secret): the SDK's default credentials chain "
            + "(environment, system properties, ~/.aws of the director's account, instance profile)")
    String accessKeyId() default "";

    @AttributeDefinition(type = AttributeType.PASSWORD, description = "Secret access key; never logged or shown")
    String secretAccessKey() default "";

    @AttributeDefinition(type = AttributeType.PASSWORD, description = "Session token of temporary credentials; "
            + "empty for long-term keys")
    String sessionToken() default "";

    @AttributeDefinition(description = "The AMI nodes boot from (see README: what the image needs)")
    String imageId();

    @AttributeDefinition(description = "The instance type of every node, checked against the region")
    String instanceType() default "t3.small";

    @AttributeDefinition(description = "Instance types of particular roles, role=type (e.g. backend=m5.large); the "
            + "others get instanceType")
    String[] roleInstanceTypes() default {};

    @AttributeDefinition(description = "The key pair to start instances with (for ssh); empty: none")
    String keyName() default "";

    @AttributeDefinition(description = "The security group of the nodes, by id (sg-...) or name; empty: the "
            + "VPC's default group")
    String securityGroup() default "";

    @AttributeDefinition(description = "Create the named securityGroup when it does not exist, open to ingressCidr "
            + "on the agent's port and servicePorts")
    boolean createSecurityGroup() default false;

    @AttributeDefinition(description = "Ports a created security group opens besides the agent's (the web "
            + "services' proxies: 80 as root, 8000 otherwise)")
    int[] servicePorts() default {80, 443, 8000};

    @AttributeDefinition(description = "Where a created security group admits connections from (the director and "
            + "the services' users)")
    String ingressCidr() default "0.0.0.0/0";

    @AttributeDefinition(description = "The subnet nodes start in (its VPC holds the security group); empty: the "
            + "region's default VPC")
    String subnetId() default "";

    @AttributeDefinition(description = "Which address of a node the director dials: private (the director runs in "
            + "the same VPC) or public")
    String addressType() default "private";

    @AttributeDefinition(description = "The port the nodes' agents listen on (the boot script's default)")
    int agentPort() default 5555;

    @AttributeDefinition(description = "Value of the conpaas:owner tag on every machine and volume; list() finds "
            + "only machines with it. Make it unique per director when several share an account and deployment name")
    String owner() default "conpaas";

    @AttributeDefinition(description = "EBS volume type of the volumes")
    String volumeType() default "gp3";

    @AttributeDefinition(description = "Seconds one API call may take, its retries included")
    int apiTimeoutSeconds() default 60;

    @AttributeDefinition(description = "How many times a call the cloud failed (throttled, 5xx, network) is tried")
    int maxAttempts() default 4;

    // Config Admin binds the director's own configuration to core-impl, so the driver cannot read it: the same name
    // is repeated here.
    @AttributeDefinition(description = "The director's deploymentName (org.conpaas.director.cfg): machines are tagged "
            + "conpaas:deployment with it and list() finds only those")
    String deploymentName() default "conpaas";
}
