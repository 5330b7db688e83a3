package org.conpaas.core.internal.monitoring;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The load-sampling settings of {@code etc/org.conpaas.director.cfg}; a change applies at once. */
@ObjectClassDefinition(name = "ConPaaS node loads", description = "How often the director samples its nodes' load")
public @interface NodeLoadsConfig {

    @AttributeDefinition(description = "Seconds between two samples of every running node's CPU and memory (kept "
            + "in memory for the last hour); 0 switches sampling off")
    int loadSamplePeriodSeconds() default 10;

    @AttributeDefinition(description = "Nodes sampled at the same time, at most")
    int loadSampleThreads() default 4;
}
