package org.conpaas.cloud.lxc;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** One LXC cloud, configured as a factory configuration {@code org.conpaas.cloud.lxc-<name>.cfg}. */
@ObjectClassDefinition(name = "ConPaaS LXC cloud",
        description = "Runs each node as a Linux container (LXC) on a private bridge of this host, with an address of "
                + "its own, cgroup limits and a user namespace of its own (root inside is an unprivileged uid on the host). Needs the director to run as root and the Debian package lxc. The "
                + "settings are read when the driver starts (a changed file restarts it; running containers are kept)")
public @interface LxcCloudConfig {

    /** hostMounts' default, for a busybox base; a Debian base mounts only the JDK by default (see hostMounts). */
    String BUSYBOX_HOST_MOUNTS = "/usr,/etc/java-17-openjdk,/etc/ssl,/etc/nginx,/etc/php";

    @AttributeDefinition(description = "The cloud's name, as users select it; part of every container's name")
    String name() default "lxc";

    @AttributeDefinition(description = "The Linux bridge the containers are attached to; created with bridgeAddress "
            + "when missing. Never lxcbr0 (lxc-net's, with NAT): the containers get no way out of this host")
    String bridge() default "cpsbr0";

    @AttributeDefinition(description = "The host's address on the bridge with its prefix length, e.g. "
            + "198.18.0.1/24; the containers' addresses are in the same network. No default route is given to "
            + "containers and ip_forward is left as it is")
    String bridgeAddress() default "198.18.0.1/24";

    @AttributeDefinition(description = "The addresses given to containers, first-last, inside the bridge's network")
    String addressRange() default "198.18.0.10-198.18.0.250";

    @AttributeDefinition(description = "The first host uid and gid of the containers' user namespaces. Each node "
            + "gets 65536 ids of its own (the k-th address of addressRange, counted from 0, the range from idmapBase "
            + "+ k * 65536), so root in a container is an unprivileged account on this host that no other node "
            + "shares. A multiple of 65536 that no account of this host and no other LXC cloud here uses, with the "
            + "last range ending below 2^31 (the cloud is unavailable while /etc/passwd or /etc/group has an id "
            + "in its ranges). The default, 0x70000000, is above the host's accounts, /etc/subuid's "
            + "usual 100000 and systemd-nspawn's container range (524288-1879048191). Read when the driver starts; "
            + "running nodes keep their range")
    long idmapBase() default 1879048192L;

    @AttributeDefinition(description = "The port every agent listens on (on its container's address)")
    int agentPort() default 5555;

    @AttributeDefinition(description = "Where the containers (the base and one per node), volume images and mount "
            + "points live; ${system.property} placeholders are resolved")
    String dataDir() default "${karaf.data}/cloud-lxc";

    @AttributeDefinition(description = "Memory limit of each node's container, in MB (cgroup memory.limit_in_bytes)")
    int memoryMb() default 512;

    @AttributeDefinition(description = "CPU weight of each node's container (cgroup cpu.shares; 1024 is one share "
            + "of the CPU among equals)")
    int cpuShares() default 1024;

    @AttributeDefinition(description = "Host folders bind-mounted read-only into every container at the same path, "
            + "comma-separated: with the busybox base the programs nodes run (the JDK, curl, tar, nginx, php-fpm) come "
            + "from the host's /usr; Debian's JDK keeps its security configuration in /etc/java-17-openjdk. With "
            + "base = debian, this default becomes javaHome and /etc/java-17-openjdk only (the container has its own "
            + "/usr); javaHome is always added when no mount holds it, and /usr, /etc, /var, /lib or /bin are refused")
    String hostMounts() default BUSYBOX_HOST_MOUNTS;

    @AttributeDefinition(description = "What every node's container is cloned from: busybox (a 2 MB root with the "
            + "host's programs bound read-only, ready in a second) or debian (a Debian root file system of its own, "
            + "made once per cloud with debootstrap from debianMirror: about a minute and 300 MB the first time, and "
            + "each node a copy of it; needs the Debian packages debootstrap and busybox-static)")
    String base() default BaseImage.BUSYBOX;

    @AttributeDefinition(description = "With base = debian: the Debian suite debootstrap installs")
    String debianSuite() default BaseImage.DEFAULT_SUITE;

    @AttributeDefinition(description = "With base = debian: the Debian mirror debootstrap and apt-get download from "
            + "(reached from this host, never from the containers)")
    String debianMirror() default BaseImage.DEFAULT_MIRROR;

    @AttributeDefinition(description = "With base = debian: Debian packages installed into the base once, separated "
            + "by spaces or commas (e.g. nginx php-fpm for PHP nodes; at most 100); their services are not started "
            + "there, the agents start what they need")
    String debianPackages() default "";

    @AttributeDefinition(description = "JAVA_HOME for the agents, a folder under a host mount; empty means the "
            + "director's own Java")
    String javaHome() default "";

    @AttributeDefinition(description = "AGENT_JAVA_OPTS for the agents, after the agent's own defaults (which fit "
            + "the default memoryMb)")
    String javaOptions() default "";

    @AttributeDefinition(description = "Where the director's HTTPS listens on this host (host:port), relayed to "
            + "the bridge address at the same port so that nodes can download the agent: set the director's "
            + "nodeBootstrapUrl to https://<bridge address>:<port>/api/v1/nodes/bootstrap and hostName in "
            + "org.conpaas.https.cfg to the bridge address. Empty: no relay (the director listens on the bridge "
            + "itself)")
    String directorRelay() default "127.0.0.1:8443";
}
