package org.conpaas.core.internal.director;

import java.util.List;
import org.conpaas.api.agent.NodeEnvironment;
import org.conpaas.api.cloud.CloudCapability;
import org.conpaas.api.cloud.CloudDriver;
import org.conpaas.api.service.ServiceLog;
import org.conpaas.api.service.ServiceManager;
import org.conpaas.api.service.ServiceNode;

/**
 * The volume of its own a service type asks for on each new node of a role ({@link ServiceManager#nodeVolumeMb}):
 * created in the node's cloud and mounted by the node before the manager configures it. A failure fails the
 * start or the addition, whose release then destroys the volumes made so far with their nodes.
 */
final class NodeVolumes {

    private final VolumeKeeper volumes;
    private final CloudRegistry clouds;

    NodeVolumes(VolumeKeeper volumes, CloudRegistry clouds) {
        this.volumes = volumes;
        this.clouds = clouds;
    }

    void give(ServiceKey key, List<ServiceNode> nodes, ServiceManager manager, ServiceLog log) {
        for (ServiceNode node : nodes) {
            int sizeMb = manager.nodeVolumeMb(node.role());
            if (sizeMb <= 0) {
                continue;
            }
            String name = NodeEnvironment.nodeVolumeName(node.id());
            VolumeKeeper.validate(name, sizeMb);
            CloudDriver cloud = clouds.require(node.cloud());
            if (!cloud.capabilities().contains(CloudCapability.VOLUMES)) {
                log.info("cloud " + cloud.name() + " has no volumes: " + node.id() + " keeps its data in its work "
                        + "folder");
                continue;
            }
            volumes.create(key, node, name, sizeMb);
            log.info(node.id() + " has a volume of its own (" + name + ", " + sizeMb + " MB)");
        }
    }
}
