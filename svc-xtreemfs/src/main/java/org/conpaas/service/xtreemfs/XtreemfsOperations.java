package org.conpaas.service.xtreemfs;

/** The operations the manager calls on the nodes' agent plug-ins, and their parameters. */
public final class XtreemfsOperations {

    /** MooseFS's fixed ports: master for chunkservers, master for clients, chunkserver for clients. */
    public static final int MASTER_CS_PORT = 9420;
    public static final int MASTER_CLIENT_PORT = 9421;
    public static final int CHUNKSERVER_PORT = 9422;

    public static final String START_MASTER = "start_master";
    public static final String SET_EXPORTS = "set_exports";
    public static final String START_OSD = "start_osd";
    public static final String MAKE_VOLUME = "make_volume";
    public static final String REMOVE_VOLUME = "remove_volume";
    public static final String SET_GOAL = "set_goal";
    public static final String CHUNKSERVERS = "chunkservers";
    public static final String CHUNK_HEALTH = "chunk_health";
    public static final String MARK_FOR_REMOVAL = "mark_for_removal";
    public static final String STOP = "stop";
    public static final String STATUS = "status";

    public static final String MASTER = "master";
    public static final String EXPORTS = "exports";
    public static final String NAME = "name";
    public static final String GOAL = "goal";
    public static final String MARKED = "marked";

    private XtreemfsOperations() {
    }
}
