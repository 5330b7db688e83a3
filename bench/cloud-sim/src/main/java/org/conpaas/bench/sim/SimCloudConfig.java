package org.conpaas.bench.sim;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The benchmark cloud, a factory configuration {@code org.conpaas.cloud.sim-<name>.cfg} written by bench/scale.sh. */
@ObjectClassDefinition(name = "ConPaaS benchmark cloud (simulated agents)",
        description = "Hands each node's user data to an agent simulator process (bench/scale.sh only)")
public @interface SimCloudConfig {

    @AttributeDefinition(description = "The cloud's name, as users select it")
    String name() default "sim";

    @AttributeDefinition(description = "The simulator's control URL, http://127.0.0.1:<port>")
    String simulatorUrl();

    @AttributeDefinition(description = "The bearer token the simulator's control port requires")
    String token();
}
