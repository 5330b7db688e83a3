package org.conpaas.cloud.ec2;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.conpaas.api.CloudException;
import org.conpaas.api.cloud.CloudVolume;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeVolumesRequest;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.Volume;
import software.amazon.awssdk.services.ec2.model.VolumeAttachment;
import software.amazon.awssdk.services.ec2.waiters.Ec2Waiter;

/**
 * EBS volumes of one cloud: created in the cloud's zone (where its nodes run), attached at the first free device
 * name, detached (always naming the instance and the device: some EC2 implementations need them) and deleted, each
 * change awaited with the SDK's waiters, bounded.
 */
final class Ec2Volumes {

    private static final Logger LOG = LoggerFactory.getLogger(Ec2Volumes.class);
    /** The device names EC2 recommends for EBS data volumes. */
    private static final List<String> DEVICES = "fghijklmnop".chars().mapToObj(c -> "/dev/sd" + (char) c).toList();
    private static final Duration WAIT = Duration.ofMinutes(3);

    private final Ec2Settings settings;
    private final Ec2Client ec2;
    private final Ec2Errors errors;
    private final Ec2Tags tags;
    private final Ec2Placement placement;
    private final Ec2Machines machines;
    private final Ec2Waiter waiter;
    /** Attachments pick a free device name: one at a time per cloud, so two never pick the same. */
    private final Object attachLock = new Object();

    Ec2Volumes(Ec2Settings settings, Ec2Client ec2, Ec2Errors errors, Ec2Placement placement,
            Ec2Machines machines) {
        this.settings = settings;
        this.ec2 = ec2;
        this.errors = errors;
        this.tags = new Ec2Tags(settings);
        this.placement = placement;
        this.machines = machines;
        this.waiter = Ec2Waiter.builder().client(ec2).overrideConfiguration(WaiterOverrideConfiguration.builder()
                .waitTimeout(WAIT).maxAttempts(90)
                .backoffStrategyV2(BackoffStrategy.exponentialDelayWithoutJitter(Duration.ofMillis(250),
                        Duration.ofSeconds(5)))
                .build()).build();
    }

    void close() {
        waiter.close();
    }

    CloudVolume create(String name, int sizeMb) {
        if (sizeMb < 1) {
            throw new org.conpaas.api.InvalidInputException("sizeMb", "a volume has at least 1 MB");
        }
        int sizeGiB = (int) Math.max(1, (sizeMb + 1023L) / 1024);
        String volumeId = call("create volume " + name, () -> ec2.createVolume(r -> r
                .availabilityZone(placement.zone()).size(sizeGiB).volumeType(settings.volumeType())
                .tagSpecifications(tags.forVolume(name))).volumeId());
        try {
            waiter.waitUntilVolumeAvailable(r -> r.volumeIds(volumeId));
        } catch (SdkException e) {
            throw errors.exception("create volume " + name + " (" + volumeId + ")", e);
        }
        LOG.info("cloud {}: volume {} ({}) of {} GiB in {}", settings.name(), volumeId, name, sizeGiB,
                placement.zone());
        return new CloudVolume(volumeId, name, sizeGiB * 1024, null, null);
    }

    CloudVolume attach(String volumeId, String vmId) {
        synchronized (attachLock) {
            Volume volume = volume(volumeId);
            if (volume == null) {
                throw errors.exception("has no volume " + volumeId);
            }
            requireOurs(volume);
            Instance instance = machines.instance(vmId);
            if (instance == null) {
                throw Ec2Machines.noSuchMachine(errors, vmId);
            }
            Set<String> used = new HashSet<>();
            instance.blockDeviceMappings().forEach(m -> used.add(m.deviceName()));
            String device = DEVICES.stream().filter(d -> !used.contains(d)
                    && !used.contains(d.replace("/dev/sd", "/dev/xvd"))).findFirst()
                    .orElseThrow(() -> errors.exception("has no free device name on machine " + vmId
                            + " for another volume"));
            call("attach volume " + volumeId + " to " + vmId, () -> ec2.attachVolume(r -> r.volumeId(volumeId)
                    .instanceId(vmId).device(device)));
            try {
                waiter.waitUntilVolumeInUse(DescribeVolumesRequest.builder().volumeIds(volumeId).build());
            } catch (SdkException e) {
                throw errors.exception("attach volume " + volumeId + " to " + vmId, e);
            }
            return new CloudVolume(volumeId, Ec2Tags.value(volume.tags(), Ec2Tags.NAME), volume.size() * 1024, vmId,
                    device);
        }
    }

    /** Detaches a volume from whatever it is attached to; an unknown or detached volume is left alone. */
    void detach(String volumeId) {
        Volume volume = volume(volumeId);
        if (volume == null) {
            return;
        }
        requireOurs(volume);
        for (VolumeAttachment a : volume.attachments()) {
            call("detach volume " + volumeId + " from " + a.instanceId(), () -> ec2.detachVolume(r -> r
                    .volumeId(volumeId).instanceId(a.instanceId()).device(a.device())));
        }
        if (!volume.attachments().isEmpty()) {
            try {
                waiter.waitUntilVolumeAvailable(r -> r.volumeIds(volumeId));
            } catch (SdkException e) {
                throw errors.exception("detach volume " + volumeId, e);
            }
        }
    }

    /** Deletes a detached volume of this director's; an unknown one is ignored. */
    void delete(String volumeId) {
        Volume volume = volume(volumeId);
        if (volume == null) {
            return;
        }
        requireOurs(volume);
        try {
            ec2.deleteVolume(r -> r.volumeId(volumeId));
        } catch (SdkException e) {
            if (!Ec2Errors.isNotFound(e)) {
                throw errors.exception("delete volume " + volumeId, e);
            }
        }
    }

    /** Volumes are only ever changed when they carry this director's tags (an id from elsewhere is refused). */
    private void requireOurs(Volume volume) {
        if (!tags.isOurs(volume.tags())) {
            throw errors.exception("holds volume " + volume.volumeId() + ", but it is not this director's: left alone");
        }
    }

    private Volume volume(String volumeId) {
        try {
            List<Volume> found = ec2.describeVolumes(r -> r.volumeIds(volumeId)).volumes();
            return found.isEmpty() ? null : found.get(0);
        } catch (SdkException e) {
            if (Ec2Errors.isNotFound(e)) {
                return null;
            }
            throw errors.exception("describe volume " + volumeId, e);
        }
    }

    private <T> T call(String what, java.util.function.Supplier<T> call) throws CloudException {
        try {
            return call.get();
        } catch (SdkException e) {
            throw errors.exception(what, e);
        }
    }
}
