package org.conpaas.core.internal.files;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The file-mode settings of {@code etc/org.conpaas.director.cfg}. */
@ObjectClassDefinition(name = "ConPaaS file modes", description = "Which of the director's files only it may read; "
        + "a change applies at once (modes are only ever narrowed: a folder no longer guarded keeps its modes)")
public @interface FileModesConfig {

    @AttributeDefinition(description = "Folder of the director's data; empty means ${karaf.data}/conpaas. "
            + "Everything in it is kept readable by the director's OS user only")
    String dataDir() default "";

    @AttributeDefinition(description = "Folders directly under ${karaf.data} left as they are: the local cloud's, "
            + "whose node accounts must reach their node folders and the agent runtime. Every other entry of "
            + "${karaf.data} is made readable by the director's OS user only")
    String[] dataFoldersSharedWithNodes() default {"cloud-local", "cloud-lxc"};
}
