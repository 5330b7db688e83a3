package org.conpaas.service.testing.cloud.ec2;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.conpaas.service.testing.cloud.MachineHypervisor;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceAttributeName;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;

/**
 * Makes moto's instances real machines: every 250 ms it asks moto (DescribeInstances) which instances run, boots
 * each new one with the {@link MachineHypervisor} on its private (loopback) address with the user data moto kept
 * for it (DescribeInstanceAttribute userData, as cloud-init would fetch it), and halts those that moto has
 * terminated. Close it in the test's clean-up: it halts every machine still running.
 */
public final class Ec2MachineWatcher implements AutoCloseable {

    private final Ec2Client ec2;
    private final MachineHypervisor hypervisor;
    private final ScheduledExecutorService poller;
    private volatile Throwable lastProblem;

    public Ec2MachineWatcher(Ec2Client ec2, Path machinesDir) {
        this.ec2 = ec2;
        this.hypervisor = new MachineHypervisor(machinesDir);
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ec2-machine-watcher");
            t.setDaemon(true);
            return t;
        });
        poller.scheduleWithFixedDelay(this::pollQuietly, 0, 250, TimeUnit.MILLISECONDS);
    }

    public MachineHypervisor hypervisor() {
        return hypervisor;
    }

    /** The last error of a poll (moto unreachable...), for a failing test's message; null when none. */
    public Throwable lastProblem() {
        return lastProblem;
    }

    private void pollQuietly() {
        try {
            poll();
            lastProblem = null;
        } catch (RuntimeException e) {
            lastProblem = e; // polled again in 250 ms
        }
    }

    private void poll() {
        Set<String> running = new HashSet<>();
        ec2.describeInstancesPaginator().reservations().forEach(r -> r.instances().forEach(i -> {
            InstanceStateName state = i.state().name();
            if (state == InstanceStateName.RUNNING || state == InstanceStateName.PENDING) {
                running.add(i.instanceId());
                if (!hypervisor.machines().contains(i.instanceId())) {
                    hypervisor.boot(i.instanceId(), i.privateIpAddress(), userData(i));
                }
            }
        }));
        for (String id : hypervisor.machines()) {
            if (!running.contains(id)) {
                hypervisor.halt(id);
            }
        }
    }

    private String userData(Instance i) {
        String encoded = ec2.describeInstanceAttribute(r -> r.instanceId(i.instanceId())
                .attribute(InstanceAttributeName.USER_DATA)).userData().value();
        return encoded == null ? "" : new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        poller.shutdownNow();
        try {
            poller.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        hypervisor.close();
    }
}
