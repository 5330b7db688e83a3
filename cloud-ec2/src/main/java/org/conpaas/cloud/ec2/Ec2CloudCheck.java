package org.conpaas.cloud.ec2;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.conpaas.api.CloudException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.LocationType;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Subnet;

/**
 * What the driver asks the cloud before it takes nodes: that the credentials work and the instance types are offered
 * in the region, that the image, the subnet and the key pair exist, and which security group nodes get (created
 * with the agent's and the services' ports when allowed and missing). The first refusal is the cloud's unavailable
 * reason.
 */
final class Ec2CloudCheck {

    private static final Logger LOG = LoggerFactory.getLogger(Ec2CloudCheck.class);

    private final Ec2Settings settings;
    private final Ec2Client ec2;
    private final Ec2Errors errors;

    Ec2CloudCheck(Ec2Settings settings, Ec2Client ec2, Ec2Errors errors) {
        this.settings = settings;
        this.ec2 = ec2;
        this.errors = errors;
    }

    /** Checks the configuration against the cloud; answers where nodes go. */
    Ec2Placement run() throws CloudException {
        checkInstanceTypes();
        checkImage();
        Subnet subnet = settings.subnetId() == null ? null : subnet();
        if (settings.keyName() != null) {
            call("find key pair " + settings.keyName(),
                    () -> ec2.describeKeyPairs(r -> r.keyNames(settings.keyName())));
        }
        String zone = subnet != null ? subnet.availabilityZone() : firstZone();
        String group = settings.securityGroup() == null ? null
                : securityGroup(subnet == null ? null : subnet.vpcId());
        return new Ec2Placement(zone, group);
    }

    private String firstZone() {
        return call("list the availability zones of region " + settings.region(),
                () -> ec2.describeAvailabilityZones(r -> r.filters(Filter.builder().name("state")
                        .values("available").build())).availabilityZones()).stream()
                .map(z -> z.zoneName()).sorted().findFirst()
                .orElseThrow(() -> errors.exception("has no available zone in region " + settings.region()));
    }

    private void checkInstanceTypes() {
        List<String> wanted = settings.allInstanceTypes();
        Set<String> offered = new TreeSet<>();
        call("list the instance types of region " + settings.region(), () -> {
            ec2.describeInstanceTypeOfferingsPaginator(r -> r.locationType(LocationType.REGION)
                    .filters(Filter.builder().name("instance-type").values(wanted).build()))
                    .instanceTypeOfferings().forEach(o -> offered.add(o.instanceTypeAsString()));
            return null;
        });
        List<String> missing = new ArrayList<>(wanted);
        missing.removeAll(offered);
        if (!missing.isEmpty()) {
            throw errors.exception("does not offer the instance type(s) " + String.join(", ", missing)
                    + " in region " + settings.region());
        }
    }

    private void checkImage() {
        var images = call("find image " + settings.imageId(),
                () -> ec2.describeImages(r -> r.imageIds(settings.imageId())).images());
        if (images.isEmpty()) {
            throw errors.exception("has no image " + settings.imageId());
        }
    }

    private Subnet subnet() {
        List<Subnet> subnets = call("find subnet " + settings.subnetId(),
                () -> ec2.describeSubnets(r -> r.subnetIds(settings.subnetId())).subnets());
        if (subnets.isEmpty()) {
            throw errors.exception("has no subnet " + settings.subnetId());
        }
        return subnets.get(0);
    }

    private String securityGroup(String vpcId) {
        String wanted = settings.securityGroup();
        boolean byId = wanted.startsWith("sg-");
        List<Filter> filters = new ArrayList<>();
        filters.add(Filter.builder().name(byId ? "group-id" : "group-name").values(wanted).build());
        if (vpcId != null) {
            filters.add(Filter.builder().name("vpc-id").values(vpcId).build());
        }
        List<SecurityGroup> found = call("find security group " + wanted,
                () -> ec2.describeSecurityGroups(r -> r.filters(filters)).securityGroups());
        if (!found.isEmpty()) {
            return found.get(0).groupId();
        }
        if (byId || !settings.createSecurityGroup()) {
            throw errors.exception("has no security group " + wanted
                    + (byId ? "" : " (set createSecurityGroup = true to have it created)"));
        }
        String groupId = call("create security group " + wanted, () -> ec2.createSecurityGroup(r -> r
                .groupName(wanted).vpcId(vpcId)
                .description("ConPaaS nodes: the agent's port " + settings.agentPort() + " and the services' ports"))
                .groupId());
        List<IpPermission> rules = new ArrayList<>();
        for (int port : new TreeSet<>(portsToOpen())) {
            rules.add(IpPermission.builder().ipProtocol("tcp").fromPort(port).toPort(port)
                    .ipRanges(r -> r.cidrIp(settings.ingressCidr())).build());
        }
        call("open the ports of security group " + wanted,
                () -> ec2.authorizeSecurityGroupIngress(r -> r.groupId(groupId).ipPermissions(rules)));
        LOG.info("cloud {}: created security group {} ({}) open to {} on ports {}", settings.name(), wanted, groupId,
                settings.ingressCidr(), new TreeSet<>(portsToOpen()));
        return groupId;
    }

    private List<Integer> portsToOpen() {
        List<Integer> ports = new ArrayList<>(settings.servicePorts());
        ports.add(settings.agentPort());
        return ports;
    }

    private <T> T call(String what, java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException e) {
            throw errors.exception(what, e);
        }
    }
}
