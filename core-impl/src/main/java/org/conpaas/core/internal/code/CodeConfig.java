package org.conpaas.core.internal.code;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The code-version settings of {@code etc/org.conpaas.director.cfg}; the limits apply live. */
@ObjectClassDefinition(name = "ConPaaS code versions", description = "Limits of uploaded code archives; a change "
        + "applies to the next upload, except dataDir, which is read when the director starts")
public @interface CodeConfig {

    @AttributeDefinition(description = "Folder of the director's data; empty means ${karaf.data}/conpaas. "
            + "Code versions are kept under its code/ folder. Read when the director starts: a change needs a restart "
            + "(and the folder's contents moved by hand)")
    String dataDir() default "";

    @AttributeDefinition(description = "Largest code archive accepted, in MB (also the REST API's bound of any "
            + "multipart upload); applies to the next upload")
    long maxArchiveMb() default 100;

    @AttributeDefinition(description = "Most a code archive may expand to, in MB (against archive bombs); applies "
            + "to the next upload")
    long maxExpandedMb() default 500;

    @AttributeDefinition(description = "Most entries a code archive may hold; applies to the next upload")
    int maxEntries() default 10000;
}
