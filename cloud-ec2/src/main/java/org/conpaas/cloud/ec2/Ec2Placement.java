package org.conpaas.cloud.ec2;

/**
 * Where a cloud's nodes and volumes go, found when the driver starts: the availability zone (the subnet's, or the
 * region's first available one, so that every volume can be attached to every node) and the security group id.
 */
record Ec2Placement(String zone, String securityGroupId) {
}
