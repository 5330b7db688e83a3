package org.conpaas.core.internal.director;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * {@code etc/org.conpaas.director.cfg}. Changes apply live unless the description says a restart is needed; several
 * components read their part of it (credit, accounts, REST), each applying its own.
 */
@ObjectClassDefinition(name = "ConPaaS director", description = "Settings of the ConPaaS director")
public @interface DirectorConfig {

    @AttributeDefinition(description = "Prefix of machine names in the clouds; read at start (a change applies after "
            + "a restart, so machines never change names under a running director)")
    String deploymentName() default "conpaas";


    @AttributeDefinition(description = "The agent runtime tarball new nodes download from the director; empty "
            + "means ${karaf.home}/agent/conpaas-agent.tar.gz; applies to the nodes launched next")
    String agentArchive() default "";

    @AttributeDefinition(description = "Base URL at which new nodes reach the director's bootstrap endpoints (they "
            + "download the agent from <url>/agent); empty means https://127.0.0.1:<HTTPS port>/api/v1/nodes/bootstrap, "
            + "right for the local cloud; applies to the nodes launched next")
    String nodeBootstrapUrl() default "";

    @AttributeDefinition(description = "Seconds a new node's one-time bootstrap token stays valid; applies to the "
            + "nodes launched next")
    int nodeBootstrapTokenSeconds() default 900;

    @AttributeDefinition(description = "Seconds a new node may take until its agent answers")
    int nodeStartTimeoutSeconds() default 120;

    @AttributeDefinition(description = "Folder for service logs; empty means ${karaf.data}/conpaas; read at start "
            + "(a change applies after a restart: the files stay where they are)")
    String dataDir() default "";

    @AttributeDefinition(description = "Whether anyone may create an account with POST /api/v1/users/register")
    boolean selfRegistration() default false;

    @AttributeDefinition(description = "The most credit a new user may start with (ConPaaS' MAX_CREDIT)")
    long maxStartingCredit() default 50;

    @AttributeDefinition(description = "Credit a new user gets when none is given")
    long defaultStartingCredit() default 50;

    @AttributeDefinition(description = "Seconds of one charged period of a node (1 credit each); an hour by default")
    long creditPeriodSeconds() default 3600;

    @AttributeDefinition(description = "Seconds between two checks of every running node's agent (node failure "
            + "detection); 0 switches the checks off")
    int nodeCheckPeriodSeconds() default 5;

    @AttributeDefinition(description = "Checks in a row a node's agent must miss before the node is FAILED")
    int nodeCheckMisses() default 2;

    @AttributeDefinition(description = "Seconds one check waits for an agent's answer")
    int nodeCheckTimeoutSeconds() default 3;

    @AttributeDefinition(description = "Agents checked at the same time, at most")
    int nodeCheckThreads() default 8;

    @AttributeDefinition(description = "The most nodes one request may add to a service (400 beyond)")
    int maxNodesPerRequest() default 100;

    @AttributeDefinition(description = "The most nodes one service may hold (400 beyond)")
    int maxNodesPerService() default 200;

    @AttributeDefinition(description = "The largest startup script, in KB (400 beyond)")
    int maxStartupScriptKb() default 64;
}
