package org.conpaas.core.internal.director;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.Map;
import org.conpaas.api.model.OperationDescriptor;
import org.conpaas.api.model.ParameterDescriptor;
import org.conpaas.api.model.ParameterType;
import org.conpaas.api.model.UploadedFile;
import org.conpaas.api.service.ServiceContext;
import org.conpaas.api.service.ServiceManager;
import org.conpaas.api.service.ServiceNode;
import org.conpaas.api.service.ServiceType;

/** A service type whose manager asks every node for a greeting; counts hook calls. */
final class EchoType implements ServiceType {
    final List<String> calls = new ArrayList<>();
    byte[] defaultCode;
    /** When set, the manager refuses volume changes (as generic does while scripts run). */
    volatile String refuseVolumes;
    /** A code version the manager refuses to activate (as PHP refuses a WAR). */
    volatile String refuseCode;
    /** A code version whose activation fails on the nodes (as a WAR that does not start on Tomcat). */
    volatile String failCode;
    /** When set, removing nodes fails half-way with this message. */
    volatile String failRemoval;
    /** When set, the add-nodes check, adding nodes and stopping wait for these (a slow plug-in or node). */
    volatile CountDownLatch holdAddCheck;
    volatile CountDownLatch holdAddNodes;
    volatile CountDownLatch holdStop;
    /** The size of the volume of its own each new node gets (0: none). */
    volatile int nodeVolumeMb;
    /** How long the long-running operation "dump" takes. */
    volatile long dumpMillis = 100;

    @Override
    public java.util.Optional<byte[]> defaultCode() {
        return java.util.Optional.ofNullable(defaultCode);
    }

    @Override
    public String name() {
        return "echo";
    }

    @Override
    public String description() {
        return "test type";
    }

    @Override
    public List<String> roles() {
        return List.of("node", "extra");
    }

    @Override
    public List<OperationDescriptor> operations() {
        return List.of(
                new OperationDescriptor("greet", "ask every node", List.of(), true),
                new OperationDescriptor("set", "set a value", List.of(
                        ParameterDescriptor.required("value", ParameterType.INTEGER, "a number")), false),
                OperationDescriptor.longRunning("dump", "a long job", List.of(), 1));
    }

    @Override
    public ServiceManager createManager(ServiceContext context) {
        return new ServiceManager() {
            @Override
            public void onStart(List<ServiceNode> nodes) {
                calls.add("start " + nodes.size());
            }

            @Override
            public void checkAddNodes(Map<String, Integer> roles) {
                await(holdAddCheck);
            }

            @Override
            public void onAddNodes(List<ServiceNode> nodes) {
                await(holdAddNodes);
                calls.add("add " + nodes.size());
            }

            @Override
            public void onStop() {
                await(holdStop);
                calls.add("stop");
            }

            @Override
            public void onNodesFailed(List<ServiceNode> failed) {
                calls.add("failed " + failed.stream().map(ServiceNode::id).toList());
            }

            @Override
            public int nodeVolumeMb(String role) {
                return nodeVolumeMb;
            }

            @Override
            public void checkCreateVolume(String name, int sizeMb, ServiceNode node) {
                if (refuseVolumes != null) {
                    throw new org.conpaas.api.ConflictException(refuseVolumes);
                }
            }

            @Override
            public void checkDeleteVolume(String name) {
                if (refuseVolumes != null) {
                    throw new org.conpaas.api.ConflictException(refuseVolumes);
                }
            }

            @Override
            public void checkActivateCode(String version) {
                if (version.equals(refuseCode)) {
                    throw new org.conpaas.api.InvalidInputException("version " + version + " is not for echo");
                }
            }

            @Override
            public void onCodeActivated(String version) {
                calls.add("code " + version);
                if (version.equals(failCode)) {
                    throw new IllegalStateException("the application failed to start");
                }
            }

            @Override
            public void onRemoveNodes(List<ServiceNode> removed) {
                if (failRemoval != null) {
                    throw new IllegalStateException(failRemoval);
                }
            }

            @Override
            public Object invoke(String operation, Map<String, Object> params, Map<String, UploadedFile> files)
                    throws InterruptedException {
                if (operation.equals("dump")) {
                    Thread.sleep(dumpMillis);
                    return "dumped";
                }
                if (operation.equals("set")) {
                    context.state().put("value", params.get("value").toString());
                    return Map.of("value", params.get("value"));
                }
                return context.agents().callAll(context.nodes(), "greet", Map.of());
            }
        };
    }

    private static void await(CountDownLatch latch) {
        try {
            if (latch != null && !latch.await(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never let go");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
