package org.conpaas.bench.sim;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The scale benchmark's stand-in for many nodes: one JVM hosting a {@link SimulatedAgent} per node the director
 * launches on the benchmark cloud, each on its own loopback address (consecutive from the first address given,
 * inside 127.0.0.0/8) and a port the kernel picks. Started by bench/scale.sh:
 * {@code java -cp bench-cloud-sim.jar org.conpaas.bench.sim.AgentSimulator <control port> <first address>} with the
 * control port's bearer token in {@code CONPAAS_SIM_TOKEN}; it prints "ready" once the control port listens.
 */
public final class AgentSimulator {
    /** A bound on what one process hosts (1,000 nodes is the benchmark's goal). */
    static final int MAX_AGENTS = 5000;

    private final Map<String, SimulatedAgent> agents = new ConcurrentHashMap<>();
    private final Deque<String> freeAddresses = new ArrayDeque<>();
    private final AtomicLong vmIds = new AtomicLong();
    // All agents share these threads; each agent's server keeps only its dispatcher thread.
    private final ExecutorService workers = Executors.newFixedThreadPool(16);
    private final long firstAddress;
    private long nextAddress;

    AgentSimulator(String firstAddress) throws UnknownHostException {
        byte[] b = InetAddress.getByName(firstAddress).getAddress();
        if (b.length != 4 || b[0] != 127) {
            throw new IllegalArgumentException("the first address must be inside 127.0.0.0/8, not " + firstAddress);
        }
        this.firstAddress = ((b[1] & 0xffL) << 16) | ((b[2] & 0xffL) << 8) | (b[3] & 0xffL);
        this.nextAddress = this.firstAddress;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2 || System.getenv("CONPAAS_SIM_TOKEN") == null) {
            System.err.println("usage: CONPAAS_SIM_TOKEN=<token> AgentSimulator <control port> <first 127.x address>");
            System.exit(2);
        }
        AgentSimulator simulator = new AgentSimulator(args[1]);
        new ControlServer(simulator, Integer.parseInt(args[0]), System.getenv("CONPAAS_SIM_TOKEN")).start();
        System.out.println("ready");
    }

    /** Starts a node's agent from its user data; answers "vmId address port". */
    String launch(String nodeId, String userData) throws Exception {
        if (agents.size() >= MAX_AGENTS) {
            throw new IllegalStateException("the simulator hosts " + MAX_AGENTS + " agents already");
        }
        UserDataFiles files = new UserDataFiles(userData);
        String address = takeAddress();
        try {
            SimulatedAgent agent = new SimulatedAgent("sim-" + vmIds.incrementAndGet(), files, address, workers);
            if (!agent.nodeId.equals(nodeId)) {
                agent.stop();
                throw new IllegalArgumentException("the user data is node " + agent.nodeId + "'s, not " + nodeId + "'s");
            }
            agents.put(agent.vmId, agent);
            return agent.vmId + " " + address + " " + agent.address.getPort();
        } catch (Exception | Error e) {
            releaseAddress(address);
            throw e;
        }
    }

    Collection<SimulatedAgent> agents() {
        return agents.values();
    }

    void terminate(List<String> vmIds) {
        for (String vmId : vmIds) {
            SimulatedAgent agent = agents.remove(vmId.trim());
            if (agent != null) {
                agent.stop();
                releaseAddress(agent.address.getAddress().getHostAddress());
            }
        }
    }

    private synchronized String takeAddress() {
        if (!freeAddresses.isEmpty()) {
            return freeAddresses.pop();
        }
        while ((nextAddress & 0xff) == 0 || (nextAddress & 0xff) == 0xff) {
            nextAddress++;   // no .0 or .255 host part, as a /24 would not have them
        }
        if (nextAddress > 0xfffffeL) {
            throw new IllegalStateException("no loopback address left after 127." + (firstAddress >> 16) + ".x.x");
        }
        long a = nextAddress++;
        return "127." + (a >> 16) + "." + ((a >> 8) & 0xff) + "." + (a & 0xff);
    }

    private synchronized void releaseAddress(String address) {
        freeAddresses.push(address);
    }
}
