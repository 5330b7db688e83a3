package org.conpaas.cloud.ec2;

import org.conpaas.api.CloudException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * One configuration of an EC2 cloud, checked against the cloud: its client and what it does, or the reason the
 * cloud refused the configuration (then every call answers that reason).
 */
final class Ec2Cloud implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Ec2Cloud.class);

    /** Null for a configuration that is malformed (then only the name and the reason are known). */
    final Ec2Settings settings;
    private final String name;
    final Ec2Errors errors;
    private final Ec2Client ec2;
    private final String unavailableReason;
    private final Ec2Machines machines;
    private final Ec2Volumes volumes;

    private Ec2Cloud(Ec2Settings settings, Ec2Client ec2, String unavailableReason, Ec2Placement placement) {
        this.settings = settings;
        this.name = settings.name();
        this.errors = new Ec2Errors(settings);
        this.ec2 = ec2;
        this.unavailableReason = unavailableReason;
        this.machines = placement == null ? null : new Ec2Machines(settings, ec2, errors, placement);
        this.volumes = placement == null ? null : new Ec2Volumes(settings, ec2, errors, placement, machines);
    }

    /** Builds the client and checks the configuration against the cloud (bounded by the API timeout). */
    static Ec2Cloud connect(Ec2Settings settings) {
        Ec2Client ec2 = Ec2Clients.create(settings);
        try {
            Ec2Placement placement = new Ec2CloudCheck(settings, ec2, new Ec2Errors(settings)).run();
            LOG.info("EC2 cloud {} ready: region {}{}, image {}, instance type {}, zone {}, {}", settings.name(),
                    settings.region(), settings.endpoint() == null ? "" : " at " + settings.endpoint(),
                    settings.imageId(), settings.instanceType(), placement.zone(), settings.credentials());
            return new Ec2Cloud(settings, ec2, null, placement);
        } catch (CloudException e) {
            LOG.error("EC2 cloud {} is unavailable: {}", settings.name(), e.getMessage());
            return new Ec2Cloud(settings, ec2, e.getMessage(), null);
        } catch (RuntimeException e) {
            String reason = new Ec2Errors(settings).sentence("check its configuration", e);
            LOG.error("EC2 cloud {} is unavailable: {}", settings.name(), reason, e);
            return new Ec2Cloud(settings, ec2, reason, null);
        }
    }

    private Ec2Cloud(String name, String unavailableReason) {
        this.settings = null;
        this.name = name;
        this.errors = null;
        this.ec2 = null;
        this.unavailableReason = unavailableReason;
        this.machines = null;
        this.volumes = null;
    }

    /** A cloud whose file has a malformed setting: listed under its name as unavailable, with the setting named. */
    static Ec2Cloud misconfigured(String name, String problem) {
        String reason = "cloud " + name + " (EC2) is misconfigured: " + problem;
        LOG.error("EC2 cloud {} is unavailable: {}", name, reason);
        return new Ec2Cloud(name, reason);
    }

    String name() {
        return name;
    }

    String unavailableReason() {
        return unavailableReason;
    }

    Ec2Machines machines() {
        requireAvailable();
        return machines;
    }

    Ec2Volumes volumes() {
        requireAvailable();
        return volumes;
    }

    private void requireAvailable() {
        if (unavailableReason != null) {
            throw new CloudException(unavailableReason);
        }
    }

    @Override
    public void close() {
        if (volumes != null) {
            volumes.close();
        }
        if (ec2 != null) {
            ec2.close();
        }
    }
}
