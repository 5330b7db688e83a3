package org.conpaas.core.internal.code;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The code-version settings of {@code etc/org.conpaas.director.cfg}. */
@ObjectClassDefinition(name = "ConPaaS code versions", description = "Limits of uploaded code archives")
public @interface CodeConfig {

    @AttributeDefinition(description = "Folder of the director's data; empty means ${karaf.data}/conpaas. "
            + "Code versions are kept under its code/ folder")
    String dataDir() default "";

    @AttributeDefinition(description = "Largest code archive accepted, in MB")
    long maxArchiveMb() default 100;

    @AttributeDefinition(description = "Most a code archive may expand to, in MB (against archive bombs)")
    long maxExpandedMb() default 500;

    @AttributeDefinition(description = "Most entries a code archive may hold")
    int maxEntries() default 10000;
}
